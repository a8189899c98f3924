package gevent4j.thirdparty.harness;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * Where the PostgreSQL and Redis servers of these tests are: the environment variables that
 * {@code bin/lib/services.sh} ({@code start_test_services}) exports, or its fixed defaults. The
 * {@code require*} methods FAIL the test (never skip it) when a server does not answer.
 */
public final class TestServices {
  /** How to get the servers, for failure messages. */
  public static final String HOW_TO_START =
      "start the test servers with `source bin/lib/services.sh && start_test_services` (bin/test does this; "
          + "it installs postgresql and redis-server with apt-get when root)";

  private TestServices() {}

  /** {@code GEVENT4J_TEST_PG_URL}, default {@code jdbc:postgresql://127.0.0.1:15432/gevent4j?user=gevent4j}. */
  public static String postgresUrl() {
    return env("GEVENT4J_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:15432/gevent4j?user=gevent4j");
  }

  /** {@code GEVENT4J_TEST_REDIS_HOST}, default 127.0.0.1. */
  public static String redisHost() {
    return env("GEVENT4J_TEST_REDIS_HOST", "127.0.0.1");
  }

  /** {@code GEVENT4J_TEST_REDIS_PORT}, default 16379. */
  public static int redisPort() {
    return Integer.parseInt(env("GEVENT4J_TEST_REDIS_PORT", "16379"));
  }

  /** Fails unless a connection to {@link #postgresUrl()} can be opened and may create a table. */
  public static void requirePostgres() {
    Properties props = new Properties();
    props.setProperty("loginTimeout", "10");
    props.setProperty("connectTimeout", "10");
    try (Connection c = DriverManager.getConnection(postgresUrl(), props)) {
      c.createStatement().execute("CREATE TEMPORARY TABLE gevent4j_probe (x int)");
    } catch (SQLException e) {
      fail("the PostgreSQL server for the third-party tests is not usable at " + postgresUrl() + " (" + e + "): "
          + HOW_TO_START + ", or set GEVENT4J_TEST_PG_URL to a database where the user may create tables");
    }
  }

  /** Fails unless the Redis server at {@link #redisHost()}:{@link #redisPort()} answers PING. */
  public static void requireRedis() {
    HostAndPort address = new HostAndPort(redisHost(), redisPort());
    try (Jedis jedis = new Jedis(address,
        DefaultJedisClientConfig.builder().connectionTimeoutMillis(10_000).socketTimeoutMillis(10_000).build())) {
      String pong = jedis.ping();
      if (!"PONG".equals(pong)) {
        fail("the Redis server for the third-party tests at " + address + " answered PING with " + pong + ": " + HOW_TO_START);
      }
    } catch (RuntimeException e) {
      fail("the Redis server for the third-party tests is not reachable at " + address + " (" + e + "): "
          + HOW_TO_START + ", or set GEVENT4J_TEST_REDIS_HOST/GEVENT4J_TEST_REDIS_PORT");
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}

package gevent4j.thirdparty;

import gevent4j.thirdparty.apps.RedisApp;
import gevent4j.thirdparty.harness.Checks;
import gevent4j.thirdparty.harness.ChildJvm;
import gevent4j.thirdparty.harness.TestServices;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Jedis used from 300 plain threads, each with a connection of its own ({@code direct}) or all
 * sharing a JedisPool of 50 connections ({@code pool}), including BLPOPs with a 1 s timeout fed by
 * other threads, gets every reply right under the agent, on few OS threads; the same application
 * without the agent proves the application itself right. Needs the server of bin/lib/services.sh.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisIT {
  private static final int THREADS = 300;
  private static final int ITERATIONS = 50;
  private static final int POOL_SIZE = 50;
  private static final int MAX_OS_THREADS = 60;
  private static final Duration TIMEOUT = Duration.ofSeconds(240);

  private static final Map<String, ChildJvm.Result> PLAIN = new HashMap<>();

  @BeforeAll
  static void server() {
    TestServices.requireRedis();
  }

  private static String resultLine(String mode) {
    long checks = (long) THREADS * (4L * ITERATIONS + 5) + (mode.equals("pool") ? 1 : 0);
    return "RESULT ok=" + checks + " errors=0";
  }

  private static synchronized ChildJvm.Result plain(String mode) {
    return PLAIN.computeIfAbsent(mode, m -> run(false, m));
  }

  private static ChildJvm.Result run(boolean agent, String mode) {
    return ChildJvm.run(agent, RedisApp.class, TIMEOUT, TestServices.redisHost(),
        Integer.toString(TestServices.redisPort()), Integer.toString(THREADS), Integer.toString(ITERATIONS), mode,
        Integer.toString(POOL_SIZE));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"direct", "pool"})
  @Order(1)
  void withoutTheAgentTheAppIsRight(String mode) {
    ChildJvm.Result run = plain(mode);
    Checks.assertAllResultsRight(run, resultLine(mode));
    Checks.assertOneOsThreadPerAppThread(run, THREADS);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"direct", "pool"})
  @Order(2)
  void underTheAgentEveryResultIsRightOnFewOsThreads(String mode) {
    ChildJvm.Result run = run(true, mode);
    System.out.printf("RedisIT %s: %d app threads, peak OS threads without agent %d, under agent %d%n",
        mode, THREADS, plain(mode).peakThreads(), run.peakThreads());
    Checks.assertAllResultsRight(run, resultLine(mode));
    Checks.assertStderrAddsNothing(run, plain(mode));
    Checks.assertFewOsThreads(run, THREADS, MAX_OS_THREADS);
  }
}

package gevent4j.thirdparty.apps;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.util.KeyValue;

/**
 * A plain Jedis application: {@code threads} platform threads ({@code new Thread}) on keys of their
 * own. In mode {@code direct} each thread holds a {@link Jedis} connection of its own for the whole
 * run (all connected at once before any starts); in mode {@code pool} all threads share a
 * {@link JedisPool} of {@code pool-size} connections and borrow one per round.
 *
 * <p>Each thread runs {@code iterations} rounds of SET+GET, INCR and LPUSH, then checks LRANGE of
 * its list and GET of its counter, then
 * <ul>
 *   <li>a BLPOP (timeout 1 s) on a list that a feeder thread (own connection, started with
 *       {@code new Thread}) pushes to 50 ms later, via a {@link DelayQueue}; should the 1 s pass
 *       first the BLPOP is repeated (counted in {@code blpop_retries}), and the value must arrive
 *       exactly as pushed;</li>
 *   <li>a BLPOP (timeout 1 s) on a list nobody pushes to: must return nothing, after at least 0.9 s;</li>
 *   <li>DEL of its keys.</li>
 * </ul>
 * Every reply is checked against what this thread expects.
 *
 * <p>Usage: {@code RedisApp <host> <port> <threads> <iterations> direct|pool [<pool-size>]}. Prints
 * {@code RESULT ok=<checks passed> errors=<n>}; exit 0 only if every check passed, which is
 * {@code threads * (4 * iterations + 5)} checks (plus 1 for the pool's own state in mode pool).
 */
public final class RedisApp {
  private static final int MAX_ERRORS_PRINTED = 10;
  private static final int FEEDERS = 4;
  private static final long FEED_DELAY_MILLIS = 50;
  private static final int MAX_BLPOP_TRIES = 10;
  private static final int IO_TIMEOUT_MILLIS = 30_000;

  private RedisApp() {}

  /** A value to push to a list once its time has come. */
  private record Feed(String key, String value, long dueNanos) implements Delayed {
    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(dueNanos, ((Feed) other).dueNanos);
    }
  }

  private static final Feed STOP = new Feed("", "", System.nanoTime());

  public static void main(String[] args) throws Exception {
    if (args.length < 5 || args.length > 6) {
      Check.fail("usage: RedisApp <host> <port> <threads> <iterations> direct|pool [<pool-size>]");
    }
    HostAndPort address = new HostAndPort(args[0], Integer.parseInt(args[1]));
    int threads = Integer.parseInt(args[2]);
    int iterations = Integer.parseInt(args[3]);
    boolean pooled = switch (args[4]) {
      case "direct" -> false;
      case "pool" -> true;
      default -> {
        Check.fail("mode must be direct or pool, not " + args[4]);
        yield false;
      }
    };
    int poolSize = args.length == 6 ? Integer.parseInt(args[5]) : 50;
    String run = "g4j:" + UUID.randomUUID();
    JedisClientConfig config = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(IO_TIMEOUT_MILLIS)
        .socketTimeoutMillis(IO_TIMEOUT_MILLIS)
        .clientName("gevent4j-RedisApp")
        .build();

    JedisPool pool = null;
    if (pooled) {
      JedisPoolConfig poolConfig = new JedisPoolConfig();
      poolConfig.setMaxTotal(poolSize);
      poolConfig.setMaxIdle(poolSize);
      poolConfig.setMinIdle(0);
      poolConfig.setBlockWhenExhausted(true);
      poolConfig.setMaxWait(Duration.ofSeconds(120));
      pool = new JedisPool(poolConfig, address, config);
    }

    AtomicLong ok = new AtomicLong();
    AtomicInteger errors = new AtomicInteger();
    AtomicInteger blpopRetries = new AtomicInteger();
    DelayQueue<Feed> feeds = new DelayQueue<>();

    List<Thread> feeders = new ArrayList<>(FEEDERS);
    for (int f = 0; f < FEEDERS; f++) {
      Thread feeder = new Thread(() -> {
        try (Jedis jedis = new Jedis(address, config)) {
          while (true) {
            Feed feed = feeds.take();
            if (feed == STOP) {
              return;
            }
            jedis.lpush(feed.key(), feed.value());
          }
        } catch (RuntimeException | InterruptedException e) {
          errors.incrementAndGet();
          System.out.println("ERROR feeder: " + e);
          e.printStackTrace(System.out);
        }
      }, "redis-feeder-" + f);
      feeders.add(feeder);
      feeder.start();
    }

    Phaser allReady = new Phaser(threads);
    JedisPool sharedPool = pool;
    List<Thread> workers = new ArrayList<>(threads);
    for (int t = 0; t < threads; t++) {
      int id = t;
      Thread worker = new Thread(() -> {
        boolean arrived = false;
        Jedis own = null;
        try {
          if (!pooled) {
            own = new Jedis(address, config);
            check("PONG".equals(own.ping()), "PING of thread " + id);
          }
          arrived = true;
          allReady.awaitAdvanceInterruptibly(allReady.arrive(), 120, TimeUnit.SECONDS);
          Keys keys = new Keys(run, id);
          for (int i = 0; i < iterations; i++) {
            Jedis jedis = pooled ? sharedPool.getResource() : own;
            try {
              round(jedis, keys, id, i, ok);
            } finally {
              if (pooled) {
                jedis.close(); // back to the pool
              }
            }
          }
          Jedis jedis = pooled ? sharedPool.getResource() : own;
          try {
            finish(jedis, keys, id, iterations, feeds, ok, blpopRetries);
          } finally {
            if (pooled) {
              jedis.close();
            }
          }
        } catch (RuntimeException | InterruptedException | TimeoutException e) {
          if (errors.incrementAndGet() <= MAX_ERRORS_PRINTED) {
            System.out.println("ERROR thread " + id + ": " + e);
            e.printStackTrace(System.out);
          }
        } finally {
          if (own != null) {
            own.close();
          }
          if (!arrived) {
            allReady.arriveAndDeregister();
          }
        }
      }, "redis-worker-" + t);
      workers.add(worker);
      worker.start();
    }
    Check.joinAll(workers, 300_000, "Redis workers");
    for (int f = 0; f < FEEDERS; f++) {
      feeds.put(STOP);
    }
    Check.joinAll(feeders, 60_000, "Redis feeders");

    long expected = (long) threads * (4L * iterations + 5);
    if (pool != null) {
      // Every connection back in the pool, none broken (destroyed), never more than the pool's size.
      String state = "active=" + pool.getNumActive() + " created=" + pool.getCreatedCount()
          + " destroyed=" + pool.getDestroyedCount() + " borrowed=" + pool.getBorrowedCount();
      Check.println("pool " + state);
      if (pool.getNumActive() == 0 && pool.getDestroyedCount() == 0 && pool.getCreatedCount() <= poolSize
          && pool.getBorrowedCount() == (long) threads * (iterations + 1)) {
        ok.incrementAndGet();
      } else {
        errors.incrementAndGet();
        System.out.println("ERROR unexpected pool state: " + state);
      }
      expected++;
      pool.close();
    }
    Check.println("blpop_retries=" + blpopRetries.get());
    Check.println("RESULT ok=" + ok.get() + " errors=" + errors.get());
    Check.equal(0, errors.get(), "errors");
    Check.equal(expected, ok.get(), "checks passed");
  }

  /** The keys of one thread. */
  private record Keys(String str, String counter, String list, String fed, String empty) {
    Keys(String run, int id) {
      this(run + ":" + id + ":str", run + ":" + id + ":ctr", run + ":" + id + ":list", run + ":" + id + ":fed",
          run + ":" + id + ":empty");
    }
  }

  private static void round(Jedis jedis, Keys keys, int id, int i, AtomicLong ok) {
    String value = "v-" + id + "-" + i + "-" + Integer.toHexString((id * 131 + i) * 0x9E3779B1);
    check("OK".equals(jedis.set(keys.str(), value)), "SET " + keys.str());
    ok.incrementAndGet();
    String got = jedis.get(keys.str());
    check(value.equals(got), "GET " + keys.str() + " returned " + got + ", expected " + value);
    ok.incrementAndGet();
    long counter = jedis.incr(keys.counter());
    check(counter == i + 1, "INCR " + keys.counter() + " returned " + counter + ", expected " + (i + 1));
    ok.incrementAndGet();
    long length = jedis.lpush(keys.list(), element(id, i));
    check(length == i + 1, "LPUSH " + keys.list() + " returned " + length + ", expected " + (i + 1));
    ok.incrementAndGet();
  }

  private static void finish(Jedis jedis, Keys keys, int id, int iterations, DelayQueue<Feed> feeds, AtomicLong ok,
      AtomicInteger blpopRetries) {
    List<String> list = jedis.lrange(keys.list(), 0, -1);
    check(list.size() == iterations, "LRANGE " + keys.list() + " returned " + list.size() + " elements");
    for (int j = 0; j < iterations; j++) {
      String expected = element(id, iterations - 1 - j);
      check(expected.equals(list.get(j)), "LRANGE " + keys.list() + "[" + j + "] = " + list.get(j) + ", expected " + expected);
    }
    ok.incrementAndGet();
    String counter = jedis.get(keys.counter());
    check(Integer.toString(iterations).equals(counter), "GET " + keys.counter() + " returned " + counter);
    ok.incrementAndGet();

    String fedValue = "fed-" + id + "-" + UUID.randomUUID();
    feeds.put(new Feed(keys.fed(), fedValue, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FEED_DELAY_MILLIS)));
    KeyValue<String, String> popped = null;
    for (int tries = 0; popped == null && tries < MAX_BLPOP_TRIES; tries++) {
      if (tries > 0) {
        blpopRetries.incrementAndGet();
      }
      popped = jedis.blpop(1.0, keys.fed());
    }
    check(popped != null, "BLPOP " + keys.fed() + " got nothing in " + MAX_BLPOP_TRIES + " tries of 1 s");
    check(keys.fed().equals(popped.getKey()) && fedValue.equals(popped.getValue()),
        "BLPOP " + keys.fed() + " returned " + popped + ", expected " + fedValue);
    ok.incrementAndGet();

    long start = System.nanoTime();
    KeyValue<String, String> none = jedis.blpop(1.0, keys.empty());
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    check(none == null, "BLPOP " + keys.empty() + " returned " + none + " from a list nobody pushes to");
    check(elapsedMillis >= 900, "BLPOP " + keys.empty() + " with timeout 1 s returned after " + elapsedMillis + " ms");
    ok.incrementAndGet();

    long deleted = jedis.del(keys.str(), keys.counter(), keys.list(), keys.fed(), keys.empty());
    check(deleted == 3, "DEL of thread " + id + "'s keys deleted " + deleted + ", expected 3");
    ok.incrementAndGet();
  }

  private static String element(int id, int i) {
    return "e-" + id + "-" + i;
  }

  private static void check(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException("wrong result: " + what);
    }
  }
}

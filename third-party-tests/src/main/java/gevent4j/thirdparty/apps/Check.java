package gevent4j.thirdparty.apps;

import java.util.List;

/**
 * What every application of this module does on failure: print {@code FAIL <reason>} on stdout
 * and stderr and exit 1. No gevent4j classes: these applications run unchanged with and without
 * the agent.
 */
final class Check {
  private Check() {}

  /** Fails with {@code reason} unless {@code condition} holds. */
  static void that(boolean condition, String reason) {
    if (!condition) {
      fail(reason);
    }
  }

  /** Fails unless {@code actual == expected}. */
  static void equal(long expected, long actual, String what) {
    that(expected == actual, what + ": expected " + expected + " but was " + actual);
  }

  /** Prints {@code FAIL <reason>} and exits 1. */
  static void fail(String reason) {
    System.out.println("FAIL " + reason);
    System.out.flush();
    System.err.println("FAIL " + reason);
    System.err.flush();
    System.exit(1);
  }

  /** Joins every thread, failing with {@code what} if one is still alive after {@code millis} in all. */
  static void joinAll(List<Thread> threads, long millis, String what) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    int alive = 0;
    for (Thread t : threads) {
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000L);
      t.join(left);
      if (t.isAlive()) {
        alive++;
      }
    }
    that(alive == 0, alive + " of " + threads.size() + " threads still running after " + millis + " ms: " + what);
  }

  /** Prints a line and flushes, so a test watching stdout sees it at once. */
  static void println(String line) {
    System.out.println(line);
    System.out.flush();
  }
}

package gevent4j.it.apps;

import java.util.concurrent.locks.LockSupport;

/**
 * Timed waits shorter than a millisecond, from two call sites, 50 times each, in a
 * {@code new Thread} (a greenlet under the agent): the agent warns once per call site (not per
 * call) that the loop's timer resolution is coarser, and no sleep ends before the time asked.
 * Prints {@code never early=<bool>} and {@code done}.
 *
 * <p>With the argument {@code interrupted-sleeps}, a greenlet instead sleeps 1 ms 200 times while
 * another unparks it without pause: the JDK then re-parks each sleep for what is left of it, often
 * microseconds. Those parks are not the application's short waits and must not be reported.
 */
public final class ShortSleepApp {
  private static volatile boolean neverEarly = true;

  private ShortSleepApp() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length > 0 && args[0].equals("interrupted-sleeps")) {
      interruptedSleeps();
      return;
    }
    Thread worker = new Thread(() -> {
      for (int i = 0; i < 50; i++) {
        long t0 = System.nanoTime();
        try {
          Thread.sleep(0, 200_000);
        } catch (InterruptedException e) {
          return;
        }
        if (System.nanoTime() - t0 < 200_000) {
          neverEarly = false;
        }
        LockSupport.parkNanos(300_000); // may return early (spuriously) by contract: not checked
      }
    });
    worker.start();
    worker.join();
    System.out.println("never early=" + neverEarly);
    System.out.println("done");
  }

  private static void interruptedSleeps() throws InterruptedException {
    Thread sleeper = new Thread(() -> {
      for (int i = 0; i < 200; i++) {
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    Thread unparker = new Thread(() -> {
      while (sleeper.isAlive()) {
        LockSupport.unpark(sleeper);
        Thread.yield();
      }
    });
    sleeper.start();
    unparker.start();
    sleeper.join();
    unparker.join();
    System.out.println("done");
  }
}

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
 * microseconds; and a third takes 200 elements from a {@code DelayQueue}, each due 0.3 ms after it
 * was added, so that the queue waits for the rest of that time. None of these are the
 * application's own short waits, and none must be reported.
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

  /** A DelayQueue element due at a given System.nanoTime(). */
  private record Due(long at) implements java.util.concurrent.Delayed {
    @Override
    public long getDelay(java.util.concurrent.TimeUnit unit) {
      return unit.convert(at - System.nanoTime(), java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(java.util.concurrent.Delayed other) {
      return Long.compare(at, ((Due) other).at);
    }
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
    Thread delayed = new Thread(() -> {
      // A DelayQueue waits for what is left until its first element is due: often well under
      // a millisecond, but the application asked for no short wait.
      java.util.concurrent.DelayQueue<Due> queue = new java.util.concurrent.DelayQueue<>();
      for (int i = 0; i < 200; i++) {
        queue.add(new Due(System.nanoTime() + 300_000));
        try {
          queue.take();
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    delayed.start();
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
    delayed.join();
    System.out.println("done");
  }
}

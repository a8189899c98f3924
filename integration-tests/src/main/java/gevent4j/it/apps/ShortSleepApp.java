package gevent4j.it.apps;

import java.util.concurrent.locks.LockSupport;

/**
 * Timed waits shorter than a millisecond, from two call sites, 50 times each, in a
 * {@code new Thread} (a greenlet under the agent): the agent warns once per call site (not per
 * call) that the loop's timer resolution is coarser, and no sleep ends before the time asked.
 * Prints {@code never early=<bool>} and {@code done}.
 */
public final class ShortSleepApp {
  private static volatile boolean neverEarly = true;

  private ShortSleepApp() {}

  public static void main(String[] args) throws InterruptedException {
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
}

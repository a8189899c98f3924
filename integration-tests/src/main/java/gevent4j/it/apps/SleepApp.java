package gevent4j.it.apps;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * 1,000 threads that all wait at once: {@code Thread.sleep(10)}, {@code LockSupport.parkNanos}
 * of 10 ms, {@code Object.wait(10)} on a private monitor, and {@code Thread.sleep(0)}. Each wait
 * must return, and none of the timed ones earlier than asked (measured with {@code nanoTime}).
 *
 * <p>Prints one {@code <kind> woke=<n> early=<n>} line per kind and {@code SLEEP_APP OK}.
 */
public final class SleepApp {
  private static final int THREADS = 1_000;
  private static final long MILLIS = 10;
  private static final long NANOS = TimeUnit.MILLISECONDS.toNanos(MILLIS);

  private SleepApp() {}

  public static void main(String[] args) throws Exception {
    String[] kinds = {"sleep", "parkNanos", "wait", "sleep0"};
    AtomicInteger[] woke = new AtomicInteger[kinds.length];
    AtomicInteger[] early = new AtomicInteger[kinds.length];
    for (int k = 0; k < kinds.length; k++) {
      woke[k] = new AtomicInteger();
      early[k] = new AtomicInteger();
    }
    AtomicInteger failures = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      Thread t = new Thread(() -> {
        try {
          start.await();

          long t0 = System.nanoTime();
          Thread.sleep(MILLIS);
          record(0, System.nanoTime() - t0, woke, early);

          // parkNanos may return spuriously: the JDK's virtual threads do so right after a
          // sleep (VirtualThread.sleepNanos leaves the park permit set). Correct code loops.
          t0 = System.nanoTime();
          for (long left = NANOS; left > 0; left = NANOS - (System.nanoTime() - t0)) {
            LockSupport.parkNanos(left);
          }
          record(1, System.nanoTime() - t0, woke, early);

          Object monitor = new Object();
          synchronized (monitor) {
            t0 = System.nanoTime();
            monitor.wait(MILLIS);
            record(2, System.nanoTime() - t0, woke, early);
          }

          Thread.sleep(0);
          woke[3].incrementAndGet();
        } catch (Throwable e) {
          failures.incrementAndGet();
          e.printStackTrace();
        }
      });
      t.start();
      threads.add(t);
    }
    start.countDown();
    Check.joinAll(threads, 90_000, "sleeping threads that never woke");
    for (int k = 0; k < kinds.length; k++) {
      Check.println(kinds[k] + " woke=" + woke[k].get() + " early=" + early[k].get());
    }
    Check.equal(0, failures.get(), "threads that threw");
    for (int k = 0; k < kinds.length; k++) {
      Check.equal(THREADS, woke[k].get(), kinds[k] + " wake-ups");
      Check.equal(0, early[k].get(), kinds[k] + " wake-ups earlier than " + MILLIS + " ms");
    }
    Check.println("SLEEP_APP OK");
  }

  private static void record(int kind, long elapsedNanos, AtomicInteger[] woke, AtomicInteger[] early) {
    woke[kind].incrementAndGet();
    if (elapsedNanos < NANOS) {
      early[kind].incrementAndGet();
    }
  }
}

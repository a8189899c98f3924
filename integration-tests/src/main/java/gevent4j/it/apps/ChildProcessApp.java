package gevent4j.it.apps;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Waiting for child processes never blocks the Hub. {@code n} threads (greenlets under the agent)
 * each start {@code sleep 0.3} and wait for it, half with {@code Process.waitFor()}, half with
 * {@code onExit().get()}, while a ticker thread counts 1 ms sleeps. Each waiter reads the tick
 * count before and after its wait: if the wait had held the Hub's thread, no tick could have
 * happened in between. Prints {@code waiter <i> exit=<code> ticked=<bool>} and {@code done}.
 */
public final class ChildProcessApp {
  private static final AtomicLong TICKS = new AtomicLong();
  private static volatile boolean running = true;

  private ChildProcessApp() {}

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    Thread ticker = new Thread(() -> {
      while (running) {
        TICKS.incrementAndGet();
        sleepMillis(1);
      }
    });
    ticker.start();
    List<Thread> waiters = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int id = i;
      Thread waiter = new Thread(() -> {
        try {
          Process child = new ProcessBuilder("sleep", "0.3").start();
          long before = TICKS.get();
          int exit = id % 2 == 0 ? child.waitFor() : child.onExit().get(30, TimeUnit.SECONDS).exitValue();
          long after = TICKS.get();
          System.out.println("waiter " + id + " exit=" + exit + " ticked=" + (after > before));
        } catch (Exception e) {
          System.out.println("waiter " + id + " failed: " + e);
        }
      });
      waiter.start();
      waiters.add(waiter);
    }
    for (Thread waiter : waiters) {
      waiter.join();
    }
    running = false;
    ticker.join();
    System.out.println("done");
  }

  private static void sleepMillis(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

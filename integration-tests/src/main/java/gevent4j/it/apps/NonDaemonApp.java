package gevent4j.it.apps;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Which threads keep the JVM alive after {@code main} returns. Usage: {@code NonDaemonApp <mode>}.
 *
 * <ul>
 *   <li>{@code nondaemon}: a {@code new Thread} sleeps 1 s and prints {@code worker done}; the JVM
 *       must wait for it.
 *   <li>{@code chain}: a non-daemon thread sleeps, starts a second non-daemon thread and ends; the
 *       second sleeps and prints {@code worker done}; the JVM must wait for both.
 *   <li>{@code daemon}: the same thread with {@code setDaemon(true)} sleeps 30 s; the JVM exits at
 *       once without {@code worker done}.
 *   <li>{@code pool}: {@code Executors.newFixedThreadPool(2)} runs one task, printing
 *       {@code task done}, and is never shut down: its idle non-daemon workers keep the JVM alive.
 * </ul>
 *
 * <p>{@code main} prints {@code main returns} just before it returns.
 */
public final class NonDaemonApp {
  private NonDaemonApp() {}

  public static void main(String[] args) {
    String mode = args.length > 0 ? args[0] : "";
    switch (mode) {
      case "nondaemon" -> worker(1_000).start();
      case "chain" -> new Thread(() -> {
        sleep(500);
        worker(500).start();
        Check.println("first worker ends");
      }).start();
      case "daemon" -> {
        Thread t = worker(30_000);
        t.setDaemon(true);
        Check.that(t.isDaemon(), "setDaemon(true) did not stick");
        t.start();
      }
      case "pool" -> {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        pool.submit(() -> Check.println("task done"));
      }
      default -> Check.fail("usage: NonDaemonApp nondaemon|chain|daemon|pool");
    }
    Check.println("main returns");
  }

  private static Thread worker(long millis) {
    Thread t = new Thread(() -> {
      sleep(millis);
      Check.println("worker done");
    });
    return t;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Check.fail("interrupted", e);
    }
  }
}

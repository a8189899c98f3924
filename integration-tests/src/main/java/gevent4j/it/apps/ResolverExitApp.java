package gevent4j.it.apps;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * Ends the JVM while the resolver is in use: resolves {@code <name>} in {@code main}, starts a
 * daemon thread whose lookup of {@code <unanswered>} is still waiting for the server when the JVM
 * ends, and registers a shutdown hook that resolves {@code <name>} again while the JVM is ending.
 * Then ends as {@code <how>} says: {@code return} (main returns; only the daemon thread is left),
 * {@code exit} ({@code System.exit(3)} from main) or {@code thread-exit} ({@code System.exit(3)}
 * from a new thread, a greenlet under the agent).
 *
 * <p>Prints {@code main <name> -> <addresses>}, {@code pending <unanswered>} once the daemon
 * thread has started its lookup, and {@code hook <name> -> <addresses>} from the shutdown hook.
 * The daemon thread prints nothing: its lookup ends, if at all, while the JVM is going away.
 *
 * <p>Usage: {@code ResolverExitApp <how> <name> <unanswered>}.
 */
public final class ResolverExitApp {
  private ResolverExitApp() {}

  public static void main(String[] args) throws Exception {
    String how = args[0];
    String name = args[1];
    String unanswered = args[2];
    Check.println("main " + name + " -> " + addresses(name));

    CountDownLatch started = new CountDownLatch(1);
    Thread daemon = new Thread(() -> {
      started.countDown();
      try {
        InetAddress.getAllByName(unanswered);
      } catch (Exception expected) {
        // the resolver gave up on it while the JVM ended
      }
    }, "unanswered-lookup");
    daemon.setDaemon(true);
    daemon.start();
    started.await();
    // The daemon's query goes out within a turn of the Hub; let that turn happen.
    Thread.sleep(200);
    Check.println("pending " + unanswered);

    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        Check.println("hook " + name + " -> " + addresses(name));
      } catch (Exception e) {
        Check.println("hook " + name + " -> " + e);
      }
    }));

    switch (how) {
      case "return" -> { }
      case "exit" -> System.exit(3);
      case "thread-exit" -> {
        new Thread(() -> System.exit(3)).start();
        Thread.sleep(60_000);
        throw new AssertionError("System.exit from a thread did not end the JVM");
      }
      default -> throw new IllegalArgumentException("how: " + how);
    }
  }

  private static String addresses(String name) throws Exception {
    return Arrays.stream(InetAddress.getAllByName(name)).map(InetAddress::getHostAddress).sorted()
        .collect(Collectors.joining(","));
  }
}

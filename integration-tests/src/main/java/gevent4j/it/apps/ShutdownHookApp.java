package gevent4j.it.apps;

/**
 * Shutdown hooks made with {@code new Thread}. Usage: {@code ShutdownHookApp <mode>}.
 *
 * <ul>
 *   <li>{@code wedged}: registers a hook that prints {@code hook ran}, then starts a non-daemon
 *       thread that spins forever without blocking (on the agent it is a greenlet and holds the
 *       Hub's only thread) and prints {@code wedged}. The test then sends SIGTERM: the JVM must run
 *       the hook and exit, as it does without the agent.
 *   <li>{@code registry}: registering the same hook twice fails as the JDK says, removing it
 *       returns true, removing it again false, and a removed hook does not run; a second hook does
 *       and reports whether it is a virtual thread.
 * </ul>
 */
public final class ShutdownHookApp {
  private static volatile long spins;

  private ShutdownHookApp() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "";
    switch (mode) {
      case "wedged" -> wedged();
      case "registry" -> registry();
      default -> throw new IllegalArgumentException("unknown mode " + mode);
    }
  }

  private static void wedged() throws InterruptedException {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("hook ran")));
    Thread spinner = new Thread(() -> {
      System.out.println("spinner virtual=" + Thread.currentThread().isVirtual());
      System.out.println("wedged");
      while (true) {
        spins++;
      }
    });
    spinner.start();
    spinner.join();
  }

  private static void registry() {
    Thread removed = new Thread(() -> System.out.println("removed hook ran"));
    Runtime.getRuntime().addShutdownHook(removed);
    try {
      Runtime.getRuntime().addShutdownHook(removed);
      System.out.println("second add accepted");
    } catch (IllegalArgumentException e) {
      System.out.println("second add: " + e.getMessage());
    }
    System.out.println("remove: " + Runtime.getRuntime().removeShutdownHook(removed));
    System.out.println("remove again: " + Runtime.getRuntime().removeShutdownHook(removed));
    Runtime.getRuntime().addShutdownHook(new Thread(
        () -> System.out.println("hook ran virtual=" + Thread.currentThread().isVirtual()), "my-hook"));
    System.out.println("main returns");
  }
}

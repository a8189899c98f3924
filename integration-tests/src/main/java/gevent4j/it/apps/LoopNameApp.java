package gevent4j.it.apps;

/**
 * Prints the loop the agent chose ({@code loop=<name>}, from the {@code gevent4j.loop} system
 * property the agent sets; {@code none} without the agent) and that a greenlet ran.
 */
public final class LoopNameApp {
  private LoopNameApp() {}

  public static void main(String[] args) throws InterruptedException {
    Thread t = new Thread(() -> System.out.println("greenlet virtual=" + Thread.currentThread().isVirtual()));
    t.start();
    t.join();
    System.out.println("loop=" + System.getProperty("gevent4j.loop", "none"));
  }
}

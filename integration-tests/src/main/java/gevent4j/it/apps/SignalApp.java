package gevent4j.it.apps;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * A {@code sun.misc.Signal} handler for SIGUSR2, as daemons use for "reopen logs" or "dump
 * state". {@code main} prints {@code ready}, then waits in a blocking call (a sleep loop) while
 * the test sends the signal {@code n} times (the argument); each handler run prints
 * {@code handled <i> virtual=<bool> name=<thread name>} and the last one lets main print
 * {@code done}. The JVM's own SIGTERM handling is untouched: the test checks that too.
 */
public final class SignalApp {
  private SignalApp() {}

  public static void main(String[] args) throws InterruptedException {
    int expected = Integer.parseInt(args[0]);
    CountDownLatch all = new CountDownLatch(expected);
    Signal.handle(new Signal("USR2"), sig -> {
      Thread me = Thread.currentThread();
      System.out.println("handled " + (expected - all.getCount() + 1) + " virtual=" + me.isVirtual()
          + " name=" + me.getName() + " signal=" + sig.getName());
      all.countDown();
    });
    System.out.println("ready");
    while (all.getCount() > 0) {
      Thread.sleep(5);
    }
    System.out.println("done");
  }
}

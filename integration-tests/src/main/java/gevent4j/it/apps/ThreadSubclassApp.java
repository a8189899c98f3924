package gevent4j.it.apps;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Subclasses of {@code Thread} stay platform threads under the agent, while {@code new Thread(r)}
 * becomes a greenlet (a virtual thread).
 *
 * <p>Prints {@code subclass virtual=false plain virtual=<b>}, {@code anonymous-subclass virtual=false}
 * and {@code gevent4j.loop=<system property, or null>}; exit 0 unless a subclass ran virtual.
 */
public final class ThreadSubclassApp {
  private ThreadSubclassApp() {}

  static final class Worker extends Thread {
    final AtomicBoolean virtual = new AtomicBoolean(true);

    @Override
    public void run() {
      virtual.set(Thread.currentThread().isVirtual());
    }
  }

  public static void main(String[] args) throws Exception {
    Worker worker = new Worker();
    worker.start();
    worker.join();

    AtomicBoolean plain = new AtomicBoolean();
    Thread thread = new Thread(() -> plain.set(Thread.currentThread().isVirtual()));
    thread.start();
    thread.join();

    AtomicBoolean anonymous = new AtomicBoolean(true);
    Thread anon = new Thread() {
      @Override
      public void run() {
        anonymous.set(Thread.currentThread().isVirtual());
      }
    };
    anon.start();
    anon.join();

    Check.println("subclass virtual=" + worker.virtual.get() + " plain virtual=" + plain.get());
    Check.println("anonymous-subclass virtual=" + anonymous.get());
    Check.println("gevent4j.loop=" + System.getProperty("gevent4j.loop"));
    Check.that(!worker.virtual.get() && !worker.isVirtual(), "a Thread subclass ran as a virtual thread");
    Check.that(!anonymous.get(), "an anonymous Thread subclass ran as a virtual thread");
    Check.that(plain.get() == thread.isVirtual(), "isVirtual() disagrees inside and outside the thread");
  }
}

package gevent4j.benchmarks.signal;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * The application side of the signal latency measurement: plain application code that registers a
 * {@code sun.misc.Signal} handler for SIGUSR2 (as daemons do for "reopen logs"). The handler's first
 * statement reads {@code System.nanoTime()} and prints it as {@code handled <nanos> virtual=<bool>};
 * {@code main} prints {@code ready <pid> loop=<loop>}, waits (a park with no timeout) until the
 * handler has run {@code N} times (the argument), prints {@code done} and returns.
 *
 * <p>Without the agent the JDK runs each handler on a new platform thread started by its "Signal
 * Dispatcher" thread; under the agent the handler runs as a greenlet on the Hub, whose loop the
 * start wakes. {@link SignalLatency} drives it.
 */
public final class SignalApp {

    private SignalApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        int expected = Integer.parseInt(args[0]);
        CountDownLatch all = new CountDownLatch(expected);
        Signal.handle(new Signal("USR2"), sig -> {
            long now = System.nanoTime();
            System.out.println("handled " + now + " virtual=" + Thread.currentThread().isVirtual());
            all.countDown();
        });
        System.out.println("ready " + ProcessHandle.current().pid() + " loop="
                + System.getProperty("gevent4j.loop", "none"));
        all.await();
        System.out.println("done");
    }
}

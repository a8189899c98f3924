package gevent4j;

import java.time.Duration;

/**
 * A flag that greenlets wait for (gevent's {@code gevent.event.Event}): {@link #set()} wakes every
 * waiter and lets later waits through until {@link #clear()}. {@code java.util.concurrent} has no
 * resettable latch; {@code CountDownLatch} is the one-shot counterpart.
 */
public final class Event {

    private boolean flag;

    /** True while set. */
    public synchronized boolean isSet() {
        return flag;
    }

    /** Sets the flag and wakes every waiter. */
    public synchronized void set() {
        flag = true;
        notifyAll();
    }

    /** Resets the flag: waits block again. */
    public synchronized void clear() {
        flag = false;
    }

    /** Waits until the flag is set; returns at once when it already is. */
    public synchronized void await() throws InterruptedException {
        while (!flag) {
            wait();
        }
    }

    /** Waits until the flag is set or {@code timeout} passes; returns the flag. */
    public synchronized boolean await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!flag) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000L), 0);
        }
        return true;
    }

    @Override
    public String toString() {
        return "Event[" + (isSet() ? "set" : "clear") + "]";
    }
}

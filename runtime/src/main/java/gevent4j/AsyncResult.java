package gevent4j;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * A value or an exception that one greenlet delivers and others wait for (gevent's
 * {@code gevent.event.AsyncResult}). Unlike {@code CompletableFuture}, {@link #get()} rethrows the
 * exception itself, as {@link Greenlet#get()} does, and it can be reset and set again.
 *
 * @param <T> the type of the value
 */
public final class AsyncResult<T> {

    private boolean ready;
    private T value;
    private Throwable exception;

    /** Delivers {@code value} and wakes every waiter. */
    public synchronized void set(T value) {
        this.value = value;
        this.exception = null;
        ready = true;
        notifyAll();
    }

    /** Delivers {@code exception}: {@link #get()} rethrows it. */
    public synchronized void setException(Throwable exception) {
        this.exception = Objects.requireNonNull(exception, "exception");
        this.value = null;
        ready = true;
        notifyAll();
    }

    /** Forgets the result: waits block again. */
    public synchronized void reset() {
        ready = false;
        value = null;
        exception = null;
    }

    public synchronized boolean ready() {
        return ready;
    }

    /** True when ready with a value. */
    public synchronized boolean successful() {
        return ready && exception == null;
    }

    /** The value, or null when not ready or failed. */
    public synchronized T value() {
        return value;
    }

    /** The exception, or null when not ready or successful. */
    public synchronized Throwable exception() {
        return exception;
    }

    /** Waits until ready; returns the value or rethrows the exception (the same object). */
    public synchronized T get() throws Exception {
        while (!ready) {
            wait();
        }
        return outcome();
    }

    /**
     * Like {@link #get()}, waiting at most {@code timeout}.
     *
     * @throws TimeoutException when it is not ready in time
     */
    public synchronized T get(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("no result after " + timeout);
            }
            wait(Math.max(1, left / 1_000_000L), 0);
        }
        return outcome();
    }

    private T outcome() throws Exception {
        if (exception != null) {
            throw AsyncResult.<Exception>sneaky(exception);
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }

    @Override
    public synchronized String toString() {
        return "AsyncResult[" + (!ready ? "pending" : exception != null ? "failed: " + exception : "value") + "]";
    }
}

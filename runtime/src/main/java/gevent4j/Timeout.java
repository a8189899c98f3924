package gevent4j;

import gevent4j.bootstrap.Bridge;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A limit on how long the calling greenlet may spend in a block of code (gevent's {@code Timeout}).
 *
 * <pre>{@code
 * // the value, or java.util.concurrent.TimeoutException after 2 s
 * String line = Timeout.call(Duration.ofSeconds(2), () -> reader.readLine());
 *
 * try (Timeout t = Timeout.start(Duration.ofMillis(500))) {
 *     socket.getInputStream().read(buffer);      // Timeout.Expired (a SocketTimeoutException)
 * }
 * }</pre>
 *
 * <p>When it expires, the greenlet is woken from what it waits for:
 * <ul>
 *   <li>a socket or channel operation waiting on the Hub's loop (read, write, accept, connect,
 *       {@code Selector.select}) ends with {@link Expired}, a {@link SocketTimeoutException}: as
 *       with {@code setSoTimeout}, the socket stays open and usable;</li>
 *   <li>anything else is interrupted: a sleep, {@code Object.wait}, a {@code Condition} or
 *       {@code lockInterruptibly} wait, a join, a blocking queue, ends with the JDK's
 *       {@code InterruptedException} (a socket operation that starts while the interrupt is
 *       pending fails as the JDK specifies for interrupted threads).</li>
 * </ul>
 * Waits that Java makes uninterruptible ({@code synchronized} entry, {@code Lock.lock()}) and code
 * that never waits cannot be cut short; {@link #expired()} still becomes true, and {@link #close()}
 * clears the interrupt it caused if nothing consumed it.
 *
 * <p>Timeouts nest: each one only reports its own expiry ({@link #call} rethrows what an outer
 * timeout caused). A timeout belongs to the thread that started it; on the Hub it is a loop timer.
 */
public final class Timeout implements AutoCloseable {

    /** Timeouts of threads that are not greenlets of a Hub (or without the agent). */
    private static volatile ScheduledExecutorService fallbackTimer;

    private final Thread owner;
    private final Duration duration;
    private boolean expired;
    private boolean interrupted;
    private boolean closed;
    private Runnable cancel;

    private Timeout(Thread owner, Duration duration) {
        this.owner = owner;
        this.duration = duration;
    }

    /**
     * Starts a timeout for the calling thread. Null never expires (gevent's {@code None}); zero or
     * negative expires at the next turn of the loop.
     */
    public static Timeout start(Duration duration) {
        Timeout t = new Timeout(Thread.currentThread(), duration);
        if (duration != null) {
            t.arm(Math.max(0, saturatedNanos(duration)));
        }
        return t;
    }

    /**
     * Runs {@code body} under a timeout and returns its value.
     *
     * @throws TimeoutException when this timeout expired before {@code body} returned; its cause is
     *     what {@code body} threw because of it
     * @throws Exception what {@code body} threw for any other reason, unchanged
     */
    public static <T> T call(Duration duration, Callable<T> body) throws Exception {
        Timeout t = start(duration);
        try {
            return body.call();
        } catch (Throwable e) {
            if (t.expired()) {
                TimeoutException timedOut = new TimeoutException("timed out after " + duration);
                timedOut.initCause(e);
                throw timedOut;
            }
            throw Timeout.<Exception>sneaky(e);
        } finally {
            t.close();
        }
    }

    private void arm(long nanos) {
        Runnable hubCancel = Bridge.scheduleOnHub(nanos, this::expire);
        if (hubCancel != null) {
            cancel = hubCancel;
            return;
        }
        ScheduledFuture<?> f = fallbackTimer().schedule(this::expire, nanos, TimeUnit.NANOSECONDS);
        cancel = () -> f.cancel(false);
    }

    private static ScheduledExecutorService fallbackTimer() {
        ScheduledExecutorService s = fallbackTimer;
        if (s == null) {
            synchronized (Timeout.class) {
                s = fallbackTimer;
                if (s == null) {
                    ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
                        Thread t = new Thread(null, r, "gevent4j-timeouts", 0, false);
                        t.setDaemon(true);
                        return t;
                    });
                    pool.setRemoveOnCancelPolicy(true);
                    fallbackTimer = s = pool;
                }
            }
        }
        return s;
    }

    /** Runs on the Hub (or the fallback timer thread) when the time is up. */
    private void expire() {
        synchronized (this) {
            if (closed) {
                return;
            }
            expired = true;
        }
        if (Bridge.failIoWait(owner, this::newExpired)) {
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            interrupted = true;
        }
        owner.interrupt();
    }

    private IOException newExpired() {
        return new Expired(this);
    }

    /** True once it has expired, even if nothing was interrupted. */
    public synchronized boolean expired() {
        return expired;
    }

    /** The duration it was started with; null for a timeout that never expires. */
    public Duration duration() {
        return duration;
    }

    /**
     * Cancels it (gevent's {@code cancel()}). Called by the owning thread, it also clears an
     * interrupt this timeout caused and nothing consumed, so that it cannot leak into later code.
     */
    @Override
    public void close() {
        boolean clearInterrupt;
        Runnable c;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            clearInterrupt = interrupted && Thread.currentThread() == owner;
            c = cancel;
        }
        if (c != null) {
            c.run();
        }
        if (clearInterrupt) {
            Thread.interrupted();
        }
    }

    /** Same as {@link #close()}. */
    public void cancel() {
        close();
    }

    @Override
    public String toString() {
        return "Timeout[" + duration + (expired() ? ", expired" : "") + "]";
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException tooLong) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }

    /**
     * What a socket or channel operation waiting on the Hub's loop throws when a {@link Timeout}
     * expires. The socket stays open, as after a {@code setSoTimeout} expiry.
     */
    public static final class Expired extends SocketTimeoutException {

        private static final long serialVersionUID = 1L;
        private final transient Timeout timeout;

        Expired(Timeout timeout) {
            super("gevent4j timeout of " + timeout.duration + " expired");
            this.timeout = timeout;
        }

        /** The timeout that expired. */
        public Timeout timeout() {
            return timeout;
        }
    }
}

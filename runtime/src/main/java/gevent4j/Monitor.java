package gevent4j;

import gevent4j.bootstrap.Bridge;
import java.time.Duration;
import java.util.Objects;

/**
 * The Hub's monitor thread ({@code monitor_thread}), for code that wants to add its own periodic
 * checks (gevent's {@code add_monitoring_function}).
 *
 * <pre>{@code
 * try (AutoCloseable check = Monitor.addPeriodicFunction(Duration.ofSeconds(1), () -> queueDepth.sample())) {
 *     ...
 * }
 * }</pre>
 *
 * Functions run on the monitor thread, a platform thread, not on the Hub: they may block briefly,
 * but every function and the Hub's own checks share that one thread. An exception a function
 * throws is reported and the function keeps its place.
 */
public final class Monitor {

    private Monitor() {
    }

    /** True when the monitor thread runs (under the agent, with {@code monitor_thread} on). */
    public static boolean running() {
        return Bridge.monitorRunning();
    }

    /**
     * Runs {@code function} on the monitor thread about every {@code period}; closing the result
     * removes it.
     *
     * @throws IllegalStateException when the monitor thread does not run: it is started by the
     *     agent with {@code monitor_thread=true} ({@code GEVENT_MONITOR_THREAD_ENABLE=true})
     */
    public static AutoCloseable addPeriodicFunction(Duration period, Runnable function) {
        Objects.requireNonNull(function, "function");
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        Runnable remove = Bridge.addMonitorFunction(period.toNanos(), function);
        if (remove == null) {
            throw new IllegalStateException("the monitor thread is not running: start the application under the "
                + "gevent4j agent with monitor_thread=true (GEVENT_MONITOR_THREAD_ENABLE=true)");
        }
        return remove::run;
    }
}

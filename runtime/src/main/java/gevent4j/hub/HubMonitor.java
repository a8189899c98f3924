package gevent4j.hub;

import gevent4j.Greenlet;
import gevent4j.events.EventLoopBlocked;
import gevent4j.events.Events;
import gevent4j.events.MemoryUsageThresholdExceeded;
import gevent4j.events.MemoryUsageUnderThreshold;
import gevent4j.events.MonitorThreadStarted;
import gevent4j.events.ProcessMemory;
import gevent4j.internal.JdkInternals;
import gevent4j.loop.AnyThread;
import gevent4j.loop.HookWatcher;
import gevent4j.loop.Loop;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * The monitor thread of a Hub ({@code monitor_thread}, gevent's {@code PeriodicMonitoringThread}):
 * a platform daemon thread that watches the Hub from outside and never touches its loop.
 *
 * <p><b>Blocking.</b> The Hub is healthy while it either waits in its poll or keeps starting
 * callbacks (each greenlet switch is one). The loop counts callbacks started; prepare and check
 * hooks mark the poll. When neither changes for {@code max_blocking_time}, one greenlet (or the
 * Hub's own code) holds the Hub: a CPU loop, an unpatched blocking or JNI call, a class initialiser
 * that waits. That is reported once per episode (until the Hub makes progress again), with the
 * culprit's stack at that moment, on the Hub's error stream ({@code System.err}), as an
 * {@link EventLoopBlocked} event and as a JFR event. The checks run every quarter of
 * {@code max_blocking_time}, so an episode is reported after between 1 and 1.25 times that long.
 * When the monitor itself wakes up late (a GC pause, a suspended or CPU-starved process stops
 * every thread, not just the Hub), it starts counting again instead of blaming the greenlet that
 * happened to be running.
 * On the Hub thread this costs one prepare and one check hook per loop iteration; nothing per switch
 * but the loop's counter, which exists anyway.
 *
 * <p><b>Memory.</b> With {@code max_memory_usage} set, every {@code memory_monitor_period} (at
 * least {@link #MIN_MEMORY_PERIOD}, gevent's floor) the process's RSS is compared with it and the
 * crossing is published: {@link MemoryUsageThresholdExceeded} once when it goes above,
 * {@link MemoryUsageUnderThreshold} once when it comes back under.
 *
 * <p><b>User functions</b> ({@code gevent4j.Monitor}) run on this thread at their own periods.
 */
final class HubMonitor implements Runnable {

    /** gevent's {@code min_memory_monitor_period}: reading memory figures is not free. */
    static final Duration MIN_MEMORY_PERIOD = Duration.ofSeconds(2);
    /** Never check for blocking more often than this, whatever {@code max_blocking_time}. */
    private static final long MIN_TICK_NANOS = 1_000_000L;
    /** How late the monitor's own wake-up may be before it assumes the whole JVM was paused. */
    private static final long LATE_TOLERANCE_NANOS = 20_000_000L;

    private final Hub hub;
    private final Loop loop;
    private final long maxBlockingNanos;
    private final long tickNanos;
    private final Long maxMemoryUsage;
    private final long memoryPeriodNanos;
    private final MemoryReader memory;
    private final CopyOnWriteArrayList<PeriodicFunction> functions = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private final JfrEvents jfr = JfrEvents.create();

    /** True from the prepare hook to the check hook: the Hub is in its poll, idle or not. */
    private volatile boolean polling;
    /** Loop iterations seen by the check hook; written by the Hub thread only. */
    private volatile long iterations;
    private HookWatcher prepare;
    private HookWatcher check;

    // Monitor-thread state.
    private long lastProgress = -1;
    private long lastProgressAt;
    private long lastTickAt;
    private long reportedProgress = -1;
    private boolean memoryExceeded;

    HubMonitor(Hub hub, Duration maxBlockingTime, Long maxMemoryUsage, Duration memoryPeriod, MemoryReader memory) {
        this.hub = hub;
        this.loop = hub.loop();
        this.maxBlockingNanos = maxBlockingTime.toNanos();
        this.tickNanos = Math.max(MIN_TICK_NANOS, maxBlockingNanos / 4);
        this.maxMemoryUsage = maxMemoryUsage;
        this.memoryPeriodNanos = (memoryPeriod.compareTo(MIN_MEMORY_PERIOD) < 0 ? MIN_MEMORY_PERIOD : memoryPeriod).toNanos();
        this.memory = memory;
        this.thread = new Thread(null, this, "gevent4j-monitor", 0, false);
        thread.setDaemon(true);
    }

    /** Installs the hooks on the Hub and starts the thread. */
    void start() {
        hub.onHubThread(() -> {
            prepare = loop.prepare(() -> polling = true);
            check = loop.check(() -> {
                polling = false;
                iterations = iterations + 1;
            });
            prepare.start();
            prepare.unref();
            check.start();
            check.unref();
        });
        thread.start();
        Events.publish(new MonitorThreadStarted(thread, hub.thread()));
    }

    Thread thread() {
        return thread;
    }

    /** The effective period of memory checks, after the floor. */
    Duration memoryPeriod() {
        return Duration.ofNanos(memoryPeriodNanos);
    }

    @AnyThread
    Runnable addFunction(long periodNanos, Runnable function) {
        PeriodicFunction f = new PeriodicFunction(periodNanos, function, System.nanoTime() + periodNanos);
        functions.add(f);
        LockSupport.unpark(thread); // its next wake-up may now be sooner
        return () -> functions.remove(f);
    }

    @Override
    public void run() {
        long now = System.nanoTime();
        long nextBlockingCheck = now + tickNanos;
        long nextMemoryCheck = maxMemoryUsage != null ? now : Long.MAX_VALUE;
        lastProgressAt = now;
        while (true) {
            now = System.nanoTime();
            try {
                if (now - nextBlockingCheck >= 0) {
                    checkBlocking(now);
                    nextBlockingCheck = now + tickNanos;
                }
                if (maxMemoryUsage != null && now - nextMemoryCheck >= 0) {
                    checkMemory();
                    nextMemoryCheck = now + memoryPeriodNanos;
                }
            } catch (Throwable t) {
                // The monitor must outlive its own bugs: report and keep watching.
                Log.error("monitor thread check", t);
            }
            long next = Math.min(nextBlockingCheck, nextMemoryCheck);
            for (PeriodicFunction f : functions) {
                if (now - f.due >= 0) {
                    runFunction(f);
                    f.due = System.nanoTime() + f.periodNanos;
                }
                next = Math.min(next, f.due);
            }
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(this, wait);
            }
        }
    }

    private static void runFunction(PeriodicFunction f) {
        try {
            f.function.run();
        } catch (Throwable t) {
            Log.error("monitor function " + f.function, t);
        }
    }

    // ---- blocking ----

    private void checkBlocking(long now) {
        long progress = loop.callbacksRun() + iterations;
        boolean monitorWasLate = lastTickAt != 0 && now - lastTickAt > 2 * tickNanos + LATE_TOLERANCE_NANOS;
        lastTickAt = now;
        if (monitorWasLate) {
            // This thread did not run on time either (a GC or safepoint pause, a suspended or
            // starved process): the whole JVM stood still, not the Hub. Start counting afresh.
            lastProgress = progress;
            lastProgressAt = now;
            return;
        }
        if (progress != lastProgress || polling) {
            lastProgress = progress;
            lastProgressAt = now;
            return;
        }
        long blocked = now - lastProgressAt;
        if (blocked >= maxBlockingNanos && reportedProgress != progress) {
            reportedProgress = progress;
            reportBlocked(Duration.ofNanos(blocked));
        }
    }

    private void reportBlocked(Duration blockedFor) {
        Greenlet<?> culprit = mountedGreenlet();
        Thread blockedThread = culprit != null && culprit.thread() != null ? culprit.thread() : hub.thread();
        StackTraceElement[] stack = blockedThread.getStackTrace();
        String report = formatReport(culprit, blockedThread, blockedFor, stack);
        PrintStream err = System.err;
        err.print(report);
        err.flush();
        jfr.blocked(culprit != null ? culprit.toString() : "the Hub's own code", blockedFor, Duration.ofNanos(maxBlockingNanos), stack);
        Events.publish(new EventLoopBlocked(hub.thread(), culprit, blockedThread, blockedFor,
            Duration.ofNanos(maxBlockingNanos), Arrays.asList(stack), report));
    }

    /** The greenlet mounted on the Hub thread now, or null when the Hub runs its own code. */
    private Greenlet<?> mountedGreenlet() {
        Thread hubThread = hub.thread();
        for (Greenlet<?> g : Greenlet.all()) {
            Thread t = g.thread();
            if (t != null && JdkInternals.carrierOf(t) == hubThread) {
                return g;
            }
        }
        return null;
    }

    private String formatReport(Greenlet<?> culprit, Thread blockedThread, Duration blockedFor, StackTraceElement[] stack) {
        String rule = "=".repeat(80);
        StringBuilder out = new StringBuilder();
        out.append(rule).append('\n');
        out.append(Instant.now()).append(" : ")
            .append(culprit != null ? culprit.toString() : "the Hub's own code (no greenlet mounted)")
            .append(" appears to be blocked: the Hub has not switched for ").append(blockedFor.toMillis())
            .append(" ms (max_blocking_time ").append(Duration.ofNanos(maxBlockingNanos).toMillis()).append(" ms)\n");
        out.append("    Reported by gevent4j-monitor for ").append(hub.thread().getName())
            .append(" (loop ").append(hub.loopName()).append(")\n");
        out.append("Blocked Stack (thread #").append(blockedThread.threadId()).append(" \"")
            .append(blockedThread.getName()).append("\"):\n");
        for (StackTraceElement frame : stack) {
            out.append("    at ").append(frame).append('\n');
        }
        if (stack.length == 0) {
            // The JDK hands a mounted virtual thread's stack over at its next safepoint poll; when
            // the greenlet has finished by then, there is nothing left to show.
            out.append("    (no stack: the greenlet finished before its stack could be taken)\n");
        }
        out.append(rule).append('\n');
        return out.toString();
    }

    // ---- memory ----

    private void checkMemory() {
        ProcessMemory figures = memory.read();
        long usage = figures.rss();
        if (usage < 0) {
            return;
        }
        long max = maxMemoryUsage;
        if (usage > max) {
            if (!memoryExceeded) {
                memoryExceeded = true;
                Log.warn("memory usage " + usage + " bytes (RSS) is above max_memory_usage " + max);
                jfr.memory(true, usage, max, figures);
                Events.publish(new MemoryUsageThresholdExceeded(usage, max, figures));
            }
        } else if (memoryExceeded) {
            memoryExceeded = false;
            Log.info("memory usage " + usage + " bytes (RSS) is back under max_memory_usage " + max);
            jfr.memory(false, usage, max, figures);
            Events.publish(new MemoryUsageUnderThreshold(usage, max, figures));
        }
    }

    /** Lines for run info. */
    List<String> describe() {
        return List.of("Monitor: " + thread.getName() + ", max_blocking_time " + Duration.ofNanos(maxBlockingNanos).toMillis()
            + " ms" + (maxMemoryUsage != null ? ", max_memory_usage " + maxMemoryUsage + " bytes every "
            + memoryPeriod().toMillis() + " ms" : ", memory not watched (max_memory_usage unset)")
            + ", " + functions.size() + " user functions");
    }

    private static final class PeriodicFunction {
        final long periodNanos;
        final Runnable function;
        volatile long due;

        PeriodicFunction(long periodNanos, Runnable function, long due) {
            this.periodNanos = periodNanos;
            this.function = function;
            this.due = due;
        }
    }
}

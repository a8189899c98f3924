package gevent4j.hub;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Says once per call site, never per call, when a timed wait asked for less than half the loop's
 * timer resolution (the loop seed page: libuv raises such timers to 1 ms with a warning on every call).
 *
 * <p>The call site is the first frame outside the JDK and gevent4j, so that
 * {@code LockSupport.parkNanos(100_000)} in a library names that library's line, not
 * {@code LockSupport}. Only direct short waits are reported (see {@link #callSite()}); waits made
 * by JDK code, or computed by it from a deadline, are not: the application did not ask for a
 * short time. Only waits shorter than the threshold pay for the stack walk.
 */
final class TimerResolutionWarnings {

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final ClassLoader AGENT_LOADER = TimerResolutionWarnings.class.getClassLoader();
    private static final ClassLoader PLATFORM_LOADER = ClassLoader.getPlatformClassLoader();

    private final String loopName;
    private final long resolutionNanos;
    /**
     * Waits shorter than half the resolution are reported. Not the resolution itself: the JDK parks
     * for what is left of a sleep, so {@code Thread.sleep(1)} parks for a little under 1 ms.
     */
    private final long threshold;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    TimerResolutionWarnings(String loopName, long resolutionNanos) {
        this.loopName = loopName;
        this.resolutionNanos = resolutionNanos;
        this.threshold = resolutionNanos / 2;
    }

    void check(long delayNanos) {
        if (delayNanos > 0 && delayNanos < threshold && Log.enabled(Log.Level.WARN)) {
            String site = callSite();
            if (site != null && reported.add(site)) {
                Log.warn(String.format("a timed wait of %.3f ms at %s fires after about %.0f ms, the timer resolution "
                    + "of the %s loop (reported once for this line)", delayNanos / 1e6, site, resolutionNanos / 1e6,
                    loopName));
            }
        }
    }

    /**
     * The application's line that asked for the wait, or null when the wait is not the
     * application's own choice of a short time. Only direct calls count: {@code Thread.sleep} and
     * {@code LockSupport.parkNanos}/{@code parkUntil} called from application code. A wait the JDK
     * computed as the rest of a deadline ({@code DelayQueue.take}, {@code Condition.awaitNanos},
     * timed {@code get}, the JDK re-parking a sleep woken early) is short only because the deadline
     * is near, so it is not reported.
     */
    private static String callSite() {
        return WALKER.walk(frames -> {
            StackWalker.StackFrame previous = null;
            for (StackWalker.StackFrame f : (Iterable<StackWalker.StackFrame>) frames::iterator) {
                Class<?> type = f.getDeclaringClass();
                if (!isInternal(type)) {
                    return f.toStackTraceElement().toString();
                }
                if (previous != null && isParkOfASleep(previous, f)) {
                    return null;
                }
                if (type.getClassLoader() != AGENT_LOADER && !DIRECT_WAIT_CLASSES.contains(type.getName())) {
                    return null;
                }
                previous = f;
            }
            return null;
        });
    }

    /** The JDK classes between a direct timed wait of the application and the park itself. */
    private static final java.util.Set<String> DIRECT_WAIT_CLASSES = java.util.Set.of(
        "java.lang.VirtualThread", "java.lang.Thread", "java.util.concurrent.locks.LockSupport",
        "java.lang.System$1", "jdk.internal.misc.VirtualThreads", "gevent4j.bootstrap.Bridge");

    private static boolean isParkOfASleep(StackWalker.StackFrame callee, StackWalker.StackFrame caller) {
        return callee.getMethodName().equals("parkNanos") && caller.getMethodName().equals("sleepNanos")
            && callee.getClassName().equals("java.lang.VirtualThread")
            && caller.getClassName().equals("java.lang.VirtualThread");
    }

    /** The JDK's classes (boot and platform loaders) and gevent4j's own (the agent's loader). */
    private static boolean isInternal(Class<?> type) {
        ClassLoader loader = type.getClassLoader();
        return loader == null || loader == PLATFORM_LOADER || loader == AGENT_LOADER;
    }
}

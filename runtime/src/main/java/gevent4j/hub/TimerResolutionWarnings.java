package gevent4j.hub;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Says once per call site, never per call, when a timed wait asked for less than half the loop's
 * timer resolution (the loop seed page: libuv raises such timers to 1 ms with a warning on every call).
 *
 * <p>The call site is the first frame outside the JDK and gevent4j, so that
 * {@code LockSupport.parkNanos(100_000)} in a library names that library's line, not
 * {@code LockSupport}. Waits made only by JDK code name no such frame and are not reported: the
 * application cannot change them. Only waits shorter than the resolution pay for the stack walk.
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
     * application's own: a sleep's later parks for the rest of its time (the JDK re-parks a sleep
     * woken early for what is left, which can be microseconds) are judged by the sleep as a whole,
     * checked when it started ({@code VirtualThread.sleepNanos}).
     */
    private static String callSite() {
        return WALKER.walk(frames -> {
            StackWalker.StackFrame previous = null;
            for (StackWalker.StackFrame f : (Iterable<StackWalker.StackFrame>) frames::iterator) {
                if (previous != null && isParkOfASleep(previous, f)) {
                    return null;
                }
                if (!isInternal(f.getDeclaringClass())) {
                    return f.toStackTraceElement().toString();
                }
                previous = f;
            }
            return null;
        });
    }

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

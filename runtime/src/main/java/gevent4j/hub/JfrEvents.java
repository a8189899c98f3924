package gevent4j.hub;

import gevent4j.events.ProcessMemory;
import java.time.Duration;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/**
 * The monitor's findings as JFR events ({@code gevent4j.EventLoopBlocked},
 * {@code gevent4j.MemoryUsageThresholdExceeded}, {@code gevent4j.MemoryUsageUnderThreshold}), so
 * that {@code jcmd <pid> JFR.start} users see them beside the JDK's own. They cost nothing while
 * no recording runs. A runtime image without the {@code jdk.jfr} module gets {@link #NONE}.
 */
class JfrEvents {

    static final JfrEvents NONE = new JfrEvents();

    static JfrEvents create() {
        try {
            Class.forName("jdk.jfr.Event");
            return new Recording();
        } catch (ClassNotFoundException | LinkageError e) {
            return NONE;
        }
    }

    void blocked(String greenlet, Duration blockedFor, Duration maxBlockingTime, StackTraceElement[] stack) {
    }

    void memory(boolean exceeded, long usage, long max, ProcessMemory figures) {
    }

    private static final class Recording extends JfrEvents {
        @Override
        void blocked(String greenlet, Duration blockedFor, Duration maxBlockingTime, StackTraceElement[] stack) {
            EventLoopBlockedEvent e = new EventLoopBlockedEvent();
            if (e.shouldCommit()) {
                e.greenlet = greenlet;
                e.blockedFor = blockedFor.toNanos();
                e.maxBlockingTime = maxBlockingTime.toNanos();
                StringBuilder text = new StringBuilder();
                for (StackTraceElement frame : stack) {
                    text.append(frame).append('\n');
                }
                e.blockedStack = text.toString();
                e.commit();
            }
        }

        @Override
        void memory(boolean exceeded, long usage, long max, ProcessMemory figures) {
            MemoryThresholdEvent e = exceeded ? new MemoryExceededEvent() : new MemoryUnderEvent();
            if (e.shouldCommit()) {
                e.memoryUsage = usage;
                e.maxMemoryUsage = max;
                e.heapUsed = figures.heapUsed();
                e.commit();
            }
        }
    }

    @Name("gevent4j.EventLoopBlocked")
    @Label("Event Loop Blocked")
    @Category("gevent4j")
    @Description("The Hub ran one greenlet (or its own code) without switching for longer than max_blocking_time")
    static final class EventLoopBlockedEvent extends jdk.jfr.Event {
        @Label("Greenlet")
        String greenlet;
        @Label("Blocked For")
        @Timespan(Timespan.NANOSECONDS)
        long blockedFor;
        @Label("Max Blocking Time")
        @Timespan(Timespan.NANOSECONDS)
        long maxBlockingTime;
        @Label("Blocked Stack")
        String blockedStack;
    }

    abstract static class MemoryThresholdEvent extends jdk.jfr.Event {
        @Label("Memory Usage (RSS)")
        @DataAmount
        long memoryUsage;
        @Label("Max Memory Usage")
        @DataAmount
        long maxMemoryUsage;
        @Label("Heap Used")
        @DataAmount
        long heapUsed;
    }

    @Name("gevent4j.MemoryUsageThresholdExceeded")
    @Label("Memory Usage Threshold Exceeded")
    @Category("gevent4j")
    static final class MemoryExceededEvent extends MemoryThresholdEvent {
    }

    @Name("gevent4j.MemoryUsageUnderThreshold")
    @Label("Memory Usage Under Threshold")
    @Category("gevent4j")
    static final class MemoryUnderEvent extends MemoryThresholdEvent {
    }
}

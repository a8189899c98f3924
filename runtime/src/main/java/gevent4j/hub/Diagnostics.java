package gevent4j.hub;

import gevent4j.Greenlet;
import gevent4j.loop.NativeAllocations;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What the greenlet API's diagnostics need from the runtime: whether the spawn tree is tracked
 * ({@code track_greenlet_tree}), how values are rendered ({@code format_context}), the monitor
 * thread ({@code monitor_thread}) and the run-info header.
 */
final class Diagnostics {

    private final Hub hub;
    private final boolean trackTree;
    private final Function<Object, String> formatter;
    private final HubMonitor monitor;

    Diagnostics(Hub hub, boolean trackTree, Function<Object, String> formatter, HubMonitor monitor) {
        this.hub = hub;
        this.trackTree = trackTree;
        this.formatter = formatter;
        this.monitor = monitor;
    }

    boolean trackTree() {
        return trackTree;
    }

    /** The custom formatter's text, or null for the default; a formatter that throws gets null too. */
    String format(Object value) {
        if (formatter == null) {
            return null;
        }
        try {
            return formatter.apply(value);
        } catch (Throwable t) {
            return null;
        }
    }

    HubMonitor monitor() {
        return monitor;
    }

    List<String> runInfo() {
        List<String> lines = new ArrayList<>();
        lines.add("Hub: " + hub.thread().getName() + ", loop " + hub.describeLoop() + ", "
            + Greenlet.all().size() + " greenlets running, spawn tree " + (trackTree ? "tracked" : "not tracked"));
        if (monitor != null) {
            lines.addAll(monitor.describe());
        } else {
            lines.add("Monitor: off (monitor_thread=false)");
        }
        lines.addAll(NativeAllocations.describe());
        return lines;
    }
}

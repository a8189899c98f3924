package gevent4j;

import gevent4j.bootstrap.Bridge;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The live greenlets as a tree of who spawned whom (gevent's {@code GreenletTree} and
 * {@code format_run_info}), for diagnostics:
 *
 * <pre>
 * Hub: libev 4.33 (epoll), 3 greenlets, monitor on
 * Thread "main" #1 (platform, WAITING)
 *  +--- Greenlet["acceptor" #31, running] (WAITING)
 *  :        Spawned at:
 *  :          at demo.Server.main(Server.java:20)
 *  :        Spawn Tree Locals:
 *  :          request-id = 'r-17'
 *       +--- Greenlet["handler-1" #35, running] (RUNNABLE)
 * </pre>
 *
 * A greenlet whose spawner has finished is shown under a line naming that spawner. Values (the
 * spawn-tree locals) are rendered with {@code format_context}: by default a {@code toString()}
 * that never throws, cut to {@value #MAX_VALUE_LENGTH} characters. With
 * {@code track_greenlet_tree=false} every greenlet is a root and nothing about spawning is known.
 */
public final class GreenletTree {

    /** Longest rendering of one value by the default {@code format_context} ({@code safe}). */
    public static final int MAX_VALUE_LENGTH = 120;
    /** Frames shown per stack. */
    private static final int MAX_FRAMES = 12;

    private GreenletTree() {
    }

    /** The tree of the live greenlets, without their current stacks. */
    public static String format() {
        return format(false);
    }

    /**
     * The tree of the live greenlets.
     *
     * @param currentStacks also show where each greenlet is now
     */
    public static String format(boolean currentStacks) {
        StringBuilder out = new StringBuilder();
        for (String line : Bridge.runInfo()) {
            out.append(line).append('\n');
        }
        List<Greenlet<?>> live = new ArrayList<>(Greenlet.all());
        live.sort(Comparator.comparingLong(g -> g.thread() == null ? Long.MAX_VALUE : g.thread().threadId()));
        Set<Greenlet<?>> liveSet = Collections.newSetFromMap(new IdentityHashMap<>());
        liveSet.addAll(live);
        Map<Greenlet<?>, List<Greenlet<?>>> children = new IdentityHashMap<>();
        Map<Object, List<Greenlet<?>>> roots = new LinkedHashMap<>();
        for (Greenlet<?> g : live) {
            Greenlet<?> parent = g.spawningGreenlet();
            if (parent != null && parent != g && liveSet.contains(parent)) {
                children.computeIfAbsent(parent, p -> new ArrayList<>()).add(g);
            } else {
                Thread spawner = g.spawningThread();
                Object key = spawner != null ? spawner : UNKNOWN;
                roots.computeIfAbsent(key, k -> new ArrayList<>()).add(g);
            }
        }
        for (Map.Entry<Object, List<Greenlet<?>>> root : roots.entrySet()) {
            out.append(describeRoot(root.getKey())).append('\n');
            List<Greenlet<?>> kids = root.getValue();
            for (int i = 0; i < kids.size(); i++) {
                appendGreenlet(out, kids.get(i), " ", i == kids.size() - 1, children, currentStacks);
            }
        }
        return out.toString();
    }

    private static final Object UNKNOWN = new Object();

    private static String describeRoot(Object key) {
        if (key == UNKNOWN) {
            return "(spawner not recorded: track_greenlet_tree is off, or it was collected)";
        }
        Thread t = (Thread) key;
        if (t.isVirtual()) {
            return "Greenlet \"" + t.getName() + "\" #" + t.threadId() + " (finished)";
        }
        return "Thread \"" + t.getName() + "\" #" + t.threadId() + " (platform, " + t.getState() + ")";
    }

    private static void appendGreenlet(StringBuilder out, Greenlet<?> g, String indent, boolean last,
                                       Map<Greenlet<?>, List<Greenlet<?>>> children, boolean currentStacks) {
        Thread t = g.thread();
        out.append(indent).append("+--- ").append(g);
        if (t != null) {
            out.append(" (").append(t.getState()).append(')');
        }
        out.append('\n');
        String body = indent + (last ? "     " : ":    ");
        StackTraceElement[] spawnedAt = g.spawningStack();
        if (spawnedAt.length > 0) {
            out.append(body).append("   Spawned at:\n");
            appendFrames(out, body + "     ", spawnedAt);
        }
        Map<String, Object> locals = g.spawnTreeLocals();
        if (!locals.isEmpty() && (g.spawningGreenlet() == null || g.spawningGreenlet().spawnTreeLocals() != locals)) {
            // Shown at the root of the tree that shares them, as gevent does.
            out.append(body).append("   Spawn Tree Locals:\n");
            for (Map.Entry<String, Object> e : new java.util.TreeMap<>(locals).entrySet()) {
                out.append(body).append("     ").append(e.getKey()).append(" = ").append(formatValue(e.getValue())).append('\n');
            }
        }
        if (currentStacks && t != null) {
            out.append(body).append("   Now at:\n");
            appendFrames(out, body + "     ", t.getStackTrace());
        }
        List<Greenlet<?>> kids = children.getOrDefault(g, List.of());
        for (int i = 0; i < kids.size(); i++) {
            appendGreenlet(out, kids.get(i), body, i == kids.size() - 1, children, currentStacks);
        }
    }

    private static void appendFrames(StringBuilder out, String indent, StackTraceElement[] frames) {
        int shown = Math.min(frames.length, MAX_FRAMES);
        for (int i = 0; i < shown; i++) {
            out.append(indent).append("at ").append(frames[i]).append('\n');
        }
        if (frames.length > shown) {
            out.append(indent).append("... ").append(frames.length - shown).append(" more\n");
        }
    }

    /** {@code value} rendered with {@code format_context}. */
    public static String formatValue(Object value) {
        String custom = Bridge.formatContext(value);
        return custom != null ? custom : safeFormat(value);
    }

    /**
     * The default {@code format_context} ({@code safe}): strings quoted, anything else by its
     * {@code toString()}, which may throw or be huge; never more than {@value #MAX_VALUE_LENGTH}
     * characters, never an exception.
     */
    public static String safeFormat(Object value) {
        String text;
        try {
            text = value instanceof CharSequence s ? "'" + s + "'" : String.valueOf(value);
        } catch (Throwable t) {
            text = "<" + value.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(value))
                + ": toString() failed with " + t.getClass().getName() + ">";
        }
        if (text.length() > MAX_VALUE_LENGTH) {
            text = text.substring(0, MAX_VALUE_LENGTH - 3) + "...";
        }
        return text;
    }
}

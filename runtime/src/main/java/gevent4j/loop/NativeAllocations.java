package gevent4j.loop;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Native memory the loops allocate for their watchers, handles and poll arrays ({@code trace_malloc}).
 * Loops report every allocation and free here. Counts and bytes per kind are always kept (two
 * atomic adds per allocation, which happens per descriptor or per loop, never per event); with
 * {@code trace_malloc} on, each live allocation also records where it was made, so that a leak
 * shows its allocation site in {@code gevent4j.GreenletTree.format()} and in {@code info}.
 */
public final class NativeAllocations {

    private static final ConcurrentHashMap<String, Tally> BY_KIND = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Long, Site> LIVE_SITES = new ConcurrentHashMap<>();
    private static volatile int traceFrames;

    private NativeAllocations() {
    }

    /** {@code trace_malloc}: 0 keeps counts only; more records that many frames per allocation. */
    public static void setTraceFrames(int frames) {
        traceFrames = Math.max(0, frames);
        if (frames == 0) {
            LIVE_SITES.clear();
        }
    }

    public static boolean tracing() {
        return traceFrames > 0;
    }

    /** {@code bytes} at {@code address} were allocated for a {@code kind} ("libev io watcher", ...). */
    @AnyThread
    public static void allocated(String kind, long address, long bytes) {
        Tally t = BY_KIND.computeIfAbsent(kind, k -> new Tally());
        t.count.incrementAndGet();
        t.bytes.addAndGet(bytes);
        int frames = traceFrames;
        if (frames > 0) {
            LIVE_SITES.put(address, new Site(kind, bytes, new Throwable("allocated here"), frames));
        }
    }

    /** The allocation of a {@code kind} at {@code address} of {@code bytes} was freed. */
    @AnyThread
    public static void freed(String kind, long address, long bytes) {
        Tally t = BY_KIND.get(kind);
        if (t != null) {
            t.count.decrementAndGet();
            t.bytes.addAndGet(-bytes);
        }
        if (traceFrames > 0) {
            LIVE_SITES.remove(address);
        }
    }

    /** Live allocations of {@code kind}. */
    public static long liveCount(String kind) {
        Tally t = BY_KIND.get(kind);
        return t == null ? 0 : t.count.get();
    }

    /** Lines for diagnostics: totals per kind and, when tracing, the allocation sites of live blocks. */
    public static List<String> describe() {
        List<String> lines = new ArrayList<>();
        long count = 0;
        long bytes = 0;
        StringBuilder kinds = new StringBuilder();
        for (Map.Entry<String, Tally> e : new java.util.TreeMap<>(BY_KIND).entrySet()) {
            long c = e.getValue().count.get();
            long b = e.getValue().bytes.get();
            if (c == 0) {
                continue;
            }
            count += c;
            bytes += b;
            kinds.append(kinds.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(c).append(" (")
                .append(b).append(" B)");
        }
        lines.add("Native memory of the loop: " + count + " blocks, " + bytes + " bytes"
            + (kinds.length() > 0 ? ": " + kinds : "") + (tracing() ? "" : " (sites: set trace_malloc to record them)"));
        if (tracing()) {
            Map<String, long[]> perSite = new java.util.HashMap<>();
            for (Site s : LIVE_SITES.values()) {
                long[] cb = perSite.computeIfAbsent(s.kind + " allocated at " + s.where(), k -> new long[2]);
                cb[0]++;
                cb[1] += s.bytes;
            }
            perSite.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> -e.getValue()[1]))
                .limit(20)
                .forEach(e -> lines.add("  " + e.getValue()[0] + " blocks, " + e.getValue()[1] + " bytes: " + e.getKey()));
        }
        return lines;
    }

    private static final class Tally {
        final AtomicLong count = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
    }

    private record Site(String kind, long bytes, Throwable stack, int frames) {
        String where() {
            StringBuilder out = new StringBuilder();
            int shown = 0;
            for (StackTraceElement f : stack.getStackTrace()) {
                if (f.getClassName().equals(NativeAllocations.class.getName())) {
                    continue;
                }
                out.append(shown == 0 ? "" : " <- ").append(f);
                if (++shown == frames) {
                    break;
                }
            }
            return out.toString();
        }
    }
}

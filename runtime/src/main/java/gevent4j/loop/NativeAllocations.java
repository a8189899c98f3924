package gevent4j.loop;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Native memory the loops allocate for their watchers, handles and poll arrays ({@code trace_malloc}).
 * Loops report every allocation and free here (per descriptor number or per loop, never per
 * event). Each live block is known by address with its kind and size, so that counts and bytes
 * per kind are always available; with {@code trace_malloc} on, each block also records where it
 * was allocated, so that a leak shows its allocation site in
 * {@code gevent4j.GreenletTree.format()}.
 */
public final class NativeAllocations {

    private static final ConcurrentHashMap<Long, Block> LIVE = new ConcurrentHashMap<>();
    /** The allocators' own frames: a block's site is the loop code that asked for it. */
    private static final java.util.Set<String> ALLOCATORS = java.util.Set.of(NativeAllocations.class.getName(),
        "gevent4j.loops.common.NativeMemory", "gevent4j.loops.common.JffiAccess", "gevent4j.loops.ffm.FfmAccess");
    private static volatile int traceFrames;

    private NativeAllocations() {
    }

    /** {@code trace_malloc}: 0 keeps kinds and sizes only; more records that many frames per block. */
    public static void setTraceFrames(int frames) {
        traceFrames = Math.max(0, frames);
    }

    public static boolean tracing() {
        return traceFrames > 0;
    }

    /** {@code bytes} at {@code address} were allocated for a {@code kind} ("libev io watcher", ...). */
    @AnyThread
    public static void allocated(String kind, long address, long bytes) {
        int frames = traceFrames;
        LIVE.put(address, new Block(kind, bytes, frames > 0 ? new Throwable("allocated here") : null, frames));
    }

    /** The block at {@code address} was freed (unknown addresses are ignored). */
    @AnyThread
    public static void freed(long address) {
        LIVE.remove(address);
    }

    /** Live blocks of {@code kind}. */
    public static long liveCount(String kind) {
        return LIVE.values().stream().filter(b -> b.kind.equals(kind)).count();
    }

    /** Lines for diagnostics: totals per kind and, when tracing, the allocation sites that hold the most. */
    public static List<String> describe() {
        Map<String, long[]> perKind = new java.util.TreeMap<>();
        Map<String, long[]> perSite = new java.util.HashMap<>();
        long count = 0;
        long bytes = 0;
        for (Block b : LIVE.values()) {
            count++;
            bytes += b.bytes;
            long[] k = perKind.computeIfAbsent(b.kind, x -> new long[2]);
            k[0]++;
            k[1] += b.bytes;
            if (b.stack != null) {
                long[] cb = perSite.computeIfAbsent(b.kind + " allocated at " + b.where(), x -> new long[2]);
                cb[0]++;
                cb[1] += b.bytes;
            }
        }
        StringBuilder kinds = new StringBuilder();
        for (Map.Entry<String, long[]> e : perKind.entrySet()) {
            kinds.append(kinds.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue()[0])
                .append(" (").append(e.getValue()[1]).append(" B)");
        }
        List<String> lines = new ArrayList<>();
        lines.add("Native memory of the loop: " + count + " blocks, " + bytes + " bytes"
            + (kinds.length() > 0 ? ": " + kinds : "") + (tracing() ? "" : " (allocation sites: set trace_malloc)"));
        perSite.entrySet().stream()
            .sorted(Comparator.comparingLong((Map.Entry<String, long[]> e) -> -e.getValue()[1]))
            .limit(20)
            .forEach(e -> lines.add("  " + e.getValue()[0] + " blocks, " + e.getValue()[1] + " bytes: " + e.getKey()));
        return lines;
    }

    private record Block(String kind, long bytes, Throwable stack, int frames) {
        String where() {
            StringBuilder out = new StringBuilder();
            int shown = 0;
            for (StackTraceElement f : stack.getStackTrace()) {
                if (ALLOCATORS.contains(f.getClassName())) {
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

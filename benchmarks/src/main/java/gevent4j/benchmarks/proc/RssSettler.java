package gevent4j.benchmarks.proc;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Waits until a process's RSS has stopped moving: samples {@code /proc/<pid>/status} every
 * {@code periodMillis} and returns once the samples of the last {@code windowMillis} lie within
 * {@code toleranceKb} of each other (or when {@code timeoutMillis} have passed: the result then says
 * it did not settle). A process that has just finished some work keeps touching memory for a while
 * (JIT compilation, lazily committed heap, a GC's aftermath); reading RSS once right away would
 * catch a moment of that, not the steady state.
 */
public final class RssSettler {

    /** The last sample, whether the window was steady, and how long the wait took. */
    public record Result(ProcStatus status, boolean steady, long waitedMillis) {
    }

    private final long periodMillis;
    private final long windowMillis;
    private final long toleranceKb;
    private final long timeoutMillis;

    public RssSettler(long periodMillis, long windowMillis, long toleranceKb, long timeoutMillis) {
        this.periodMillis = periodMillis;
        this.windowMillis = windowMillis;
        this.toleranceKb = toleranceKb;
        this.timeoutMillis = timeoutMillis;
    }

    public Result await(long pid) throws IOException, InterruptedException {
        int needed = (int) Math.max(2, windowMillis / periodMillis + 1);
        Deque<ProcStatus> window = new ArrayDeque<>();
        long start = System.nanoTime();
        while (true) {
            ProcStatus s = ProcStatus.read(pid);
            window.addLast(s);
            if (window.size() > needed) {
                window.removeFirst();
            }
            long waited = (System.nanoTime() - start) / 1_000_000;
            if (window.size() == needed && spreadKb(window) <= toleranceKb) {
                return new Result(s, true, waited);
            }
            if (waited >= timeoutMillis) {
                return new Result(s, false, waited);
            }
            Thread.sleep(periodMillis);
        }
    }

    private static long spreadKb(Deque<ProcStatus> window) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (ProcStatus s : window) {
            min = Math.min(min, s.rssKb());
            max = Math.max(max, s.rssKb());
        }
        return max - min;
    }
}

package gevent4j.benchmarks.sleep;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Whole-process sleep accuracy: {@code --threads} threads (default 1,000), each made with
 * {@code new Thread(...)} (or {@code Thread.ofVirtual()} with {@code --virtual}), each
 * {@code Thread.sleep(--sleep-ms)} once (or {@code Thread.sleep(0, us * 1000)} with {@code --sleep-us},
 * for sub-millisecond sleeps); every thread records how long it slept and by how much it overslept. A batch is
 * repeated {@code --rounds} times (default 20) after {@code --warmup-rounds} unrecorded ones (default
 * 10, so that the figures are for JIT-compiled code; the very first, cold batch is reported
 * separately as {@code first_batch_ms}).
 *
 * <p>Prints one {@code RESULT key=value ...} line (microseconds, and milliseconds for the batch wall
 * time) for the benchmark harness. Plain application code: run it with and without
 * {@code -javaagent:gevent4j-agent.jar}.
 */
public final class SleepOversleep {

    private SleepOversleep() {
    }

    public static void main(String[] args) throws InterruptedException {
        int threads = 1_000;
        long sleepMs = 10;
        long sleepUs = -1;
        int rounds = 20;
        int warmupRounds = 10;
        boolean virtual = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--sleep-ms" -> sleepMs = Long.parseLong(args[++i]);
                case "--sleep-us" -> sleepUs = Long.parseLong(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--warmup-rounds" -> warmupRounds = Integer.parseInt(args[++i]);
                case "--virtual" -> virtual = true;
                default -> {
                    System.err.println("usage: SleepOversleep [--threads N] [--sleep-ms MS | --sleep-us US] [--rounds R]"
                            + " [--warmup-rounds W] [--virtual]");
                    System.exit(2);
                }
            }
        }

        long sleepNanos = sleepUs >= 0 ? TimeUnit.MICROSECONDS.toNanos(sleepUs) : TimeUnit.MILLISECONDS.toNanos(sleepMs);
        long[] oversleep = new long[threads * rounds];
        long[] batchNanos = new long[rounds];
        long firstBatchNanos = -1;
        for (int round = -warmupRounds; round < rounds; round++) {
            long[] perThread = new long[threads];
            long batch = runBatch(threads, sleepNanos, perThread, virtual);
            if (firstBatchNanos < 0) {
                firstBatchNanos = batch;
            }
            if (round >= 0) {
                System.arraycopy(perThread, 0, oversleep, round * threads, threads);
                batchNanos[round] = batch;
            }
        }
        Arrays.sort(oversleep);
        Arrays.sort(batchNanos);
        System.out.printf(Locale.ROOT,
                "RESULT threads=%d sleep_ms=%s rounds=%d samples=%d oversleep_p50_us=%.1f oversleep_p90_us=%.1f"
                        + " oversleep_p99_us=%.1f oversleep_max_us=%.1f slept_p50_us=%.1f slept_p99_us=%.1f"
                        + " batch_p50_ms=%.2f batch_max_ms=%.2f first_batch_ms=%.2f loop=%s thread_kind=%s%n",
                threads, sleepNanos % 1_000_000 == 0 ? Long.toString(sleepNanos / 1_000_000)
                        : String.format(Locale.ROOT, "%.3f", sleepNanos / 1e6), rounds, oversleep.length,
                percentile(oversleep, 50) / 1e3, percentile(oversleep, 90) / 1e3,
                percentile(oversleep, 99) / 1e3, oversleep[oversleep.length - 1] / 1e3,
                (percentile(oversleep, 50) + sleepNanos) / 1e3, (percentile(oversleep, 99) + sleepNanos) / 1e3,
                percentile(batchNanos, 50) / 1e6, batchNanos[batchNanos.length - 1] / 1e6,
                firstBatchNanos / 1e6, System.getProperty("gevent4j.loop", "none"), describe(virtual));
    }

    /** Starts every thread, joins them all; returns the batch wall time in nanoseconds. */
    private static long runBatch(int count, long sleepNanos, long[] oversleep, boolean virtual)
            throws InterruptedException {
        Thread[] threads = new Thread[count];
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            int index = i;
            Runnable sleeper = () -> {
                long before = System.nanoTime();
                try {
                    // Thread.sleep(10) when the sleep is whole milliseconds; Thread.sleep(0, 200_000) for 200 us.
                    Thread.sleep(sleepNanos / 1_000_000, (int) (sleepNanos % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                oversleep[index] = System.nanoTime() - before - sleepNanos;
            };
            threads[i] = virtual ? Thread.ofVirtual().unstarted(sleeper) : new Thread(sleeper);
            threads[i].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return System.nanoTime() - start;
    }

    /** Nearest-rank percentile of a sorted array. */
    private static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** What the threads turned out to be (under the agent, new Thread makes virtual threads). */
    private static String describe(boolean virtual) {
        Thread probe = virtual ? Thread.ofVirtual().unstarted(() -> { }) : new Thread(() -> { });
        return probe.isVirtual() ? "virtual" : "platform";
    }
}

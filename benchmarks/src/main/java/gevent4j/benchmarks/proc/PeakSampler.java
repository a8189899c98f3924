package gevent4j.benchmarks.proc;

import java.io.IOException;

/**
 * Samples a process's {@link ProcStatus} on a daemon thread every {@code periodMillis} until
 * {@link #stop()}, and keeps the highest thread count and RSS seen. Peaks between two samples are
 * missed, so the period should be short against what is measured (the kernel's {@code VmHWM} has no
 * such gap, but it cannot be reset and includes start-up).
 */
public final class PeakSampler {

    private final long pid;
    private final long periodMillis;
    private volatile boolean stopped;
    private volatile long peakThreads = -1;
    private volatile long peakRssKb = -1;
    private Thread thread;

    public PeakSampler(long pid, long periodMillis) {
        this.pid = pid;
        this.periodMillis = periodMillis;
    }

    public PeakSampler start() {
        thread = Thread.ofPlatform().daemon().name("peak-sampler-" + pid).start(this::run);
        return this;
    }

    /** Stops sampling (after one last sample) and waits for the sampling thread. */
    public void stop() throws InterruptedException {
        stopped = true;
        thread.join();
    }

    public long peakThreads() {
        return peakThreads;
    }

    public long peakRssKb() {
        return peakRssKb;
    }

    private void run() {
        while (true) {
            boolean last = stopped;
            try {
                ProcStatus s = ProcStatus.read(pid);
                peakThreads = Math.max(peakThreads, s.threads());
                peakRssKb = Math.max(peakRssKb, s.rssKb());
            } catch (IOException | RuntimeException gone) {
                return;
            }
            if (last) {
                return;
            }
            try {
                Thread.sleep(periodMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}

package gevent4j.agent;

import gevent4j.hub.LoopSelector;
import java.util.List;

/**
 * Probes the preferred native loop (loading libev or libuv and its JNR or FFM binding, the largest
 * part of a native loop's start) on a thread of its own, {@code gevent4j-loop-probe}, while the
 * agent's thread does the rest of the start-up (JDK internals, the Poller, the configuration of
 * the Hub). The Hub's start then finds the probe done or waits for it ({@link LoopSelector#probeAhead}):
 * the loop chosen, and every message about the loops skipped, are the same as without it. Where
 * no thread can be started, nothing is probed ahead.
 */
final class LoopProbeAhead {

    private final Thread thread;
    /** Set by the probing thread before it ends; read after {@code join}, which orders it. */
    private long nanos;

    private LoopProbeAhead(List<String> preference) {
        Thread started = null;
        if (LoopSelector.probesNativeFirst(preference)) {
            started = new Thread(null, () -> run(preference), "gevent4j-loop-probe", 0, false);
            started.setDaemon(true);
            try {
                started.start();
            } catch (OutOfMemoryError | RuntimeException noThread) {
                started = null;
            }
        }
        this.thread = started;
    }

    /** Starts probing ahead when {@code preference} starts with a native loop; otherwise does nothing. */
    static LoopProbeAhead start(List<String> preference) {
        return new LoopProbeAhead(preference);
    }

    private void run(List<String> preference) {
        long t0 = System.nanoTime();
        LoopSelector.probeAhead(preference);
        nanos = System.nanoTime() - t0;
    }

    /** Waits until the probing thread has ended (uninterruptibly: an interrupt is kept for later). */
    void awaitEnd() {
        if (thread == null) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether a thread probed ahead. */
    boolean ran() {
        return thread != null;
    }

    /** How long probing ahead took, once {@link #awaitEnd()} has returned. */
    long nanos() {
        return nanos;
    }
}

package gevent4j.agent;

/**
 * A piece of the agent's start-up run on a daemon thread of its own, beside the agent's thread,
 * which collects it later: patching the JDK ({@code gevent4j-patcher}) and probing the preferred
 * native loop ({@code gevent4j-loop-probe}). Each costs tens of milliseconds of a start-up the
 * user waits for, and neither needs what the agent's thread does meanwhile. The work's failure is
 * kept and rethrown by {@link #await()}; its duration is kept for the debug timing line.
 */
final class BesideStartup {

    /** Work that may fail with anything; the failure is the caller's to judge. */
    @FunctionalInterface
    interface Work {
        void run() throws Throwable;
    }

    private final Work work;
    private final Thread thread;
    /** Set by the thread before it ends; read after {@code join}, which orders it. */
    private Throwable failure;
    private long nanos;

    private BesideStartup(String threadName, Work work, boolean inlineWithoutThread) {
        this.work = work;
        Thread started = new Thread(null, this::run, threadName, 0, false);
        started.setDaemon(true);
        try {
            started.start();
        } catch (OutOfMemoryError | RuntimeException noThread) {
            started = null;
            if (inlineWithoutThread) {
                run();
            }
        }
        this.thread = started;
    }

    /**
     * Starts {@code work} on a thread named {@code threadName}. Where no thread can be started it
     * runs here when {@code inlineWithoutThread}, and is skipped otherwise.
     */
    static BesideStartup start(String threadName, Work work, boolean inlineWithoutThread) {
        return new BesideStartup(threadName, work, inlineWithoutThread);
    }

    private void run() {
        long t0 = System.nanoTime();
        try {
            work.run();
        } catch (Throwable t) {
            failure = t;
        }
        nanos = System.nanoTime() - t0;
    }

    /** Waits until the work has ended and rethrows what it failed with. */
    void await() throws Throwable {
        awaitEnd();
        if (failure != null) {
            throw failure;
        }
    }

    /** Waits until the work has ended, whatever its outcome (uninterruptibly: an interrupt is kept for later). */
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

    /** Whether the work ran on a thread of its own. */
    boolean ranBeside() {
        return thread != null;
    }

    /** How long the work itself took, once it has ended. */
    long nanos() {
        return nanos;
    }
}

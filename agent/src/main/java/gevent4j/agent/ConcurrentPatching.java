package gevent4j.agent;

import gevent4j.patches.PatchInstaller;

/**
 * Patches the JDK's classes on a thread of its own while the agent's main thread starts the Hub:
 * the two are independent (until the Bridge has hooks, patched methods behave as the JDK's own),
 * and each costs tens of milliseconds of a start-up the user waits for. The outcome is collected
 * with {@link #await()} before the Bridge gets its hooks, so the rule "all patches, or none and
 * one ERROR line" is unchanged. Where no thread can be started, the patches run inline.
 */
final class ConcurrentPatching {

    private final PatchInstaller installer;
    private final Thread thread;
    /** Set by the patching thread before it ends; read after {@code join}, which orders it. */
    private Throwable failure;
    private long nanos;

    private ConcurrentPatching(PatchInstaller installer) {
        this.installer = installer;
        Thread started = new Thread(null, this::run, "gevent4j-patcher", 0, false);
        started.setDaemon(true);
        try {
            started.start();
        } catch (OutOfMemoryError | RuntimeException noThread) {
            started = null;
            run();
        }
        this.thread = started;
    }

    /** Starts patching the JDK. */
    static ConcurrentPatching start(PatchInstaller installer) {
        return new ConcurrentPatching(installer);
    }

    private void run() {
        long t0 = System.nanoTime();
        try {
            installer.installJdkPatches();
        } catch (Throwable t) {
            failure = t;
        }
        nanos = System.nanoTime() - t0;
    }

    /**
     * Waits until patching has ended, uninterruptibly (an interrupt is kept for later).
     *
     * @throws Throwable what patching failed with ({@link PatchInstaller.PatchException} when a
     *     patch does not apply); nothing stays patched then
     */
    void await() throws Throwable {
        awaitEnd();
        if (failure != null) {
            throw failure;
        }
    }

    /** Waits until patching has ended, whatever its outcome. */
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

    /** How long patching itself took, once it has ended. */
    long nanos() {
        return nanos;
    }
}

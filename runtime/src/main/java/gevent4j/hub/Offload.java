package gevent4j.hub;

import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs blocking work on the threadpool while the calling greenlet parks; the result comes back
 * through the Hub's async wakeup when the worker unparks the greenlet.
 */
final class Offload<T> implements Runnable {

    private final Callable<T> work;
    private final Thread waiter;
    private final Hub hub;
    private T result;
    private Throwable failure;
    private volatile boolean done;

    private Offload(Callable<T> work, Thread waiter, Hub hub) {
        this.work = work;
        this.waiter = waiter;
        this.hub = hub;
    }

    /**
     * Calls {@code work} on {@code pool} and waits. The wait is not interruptible: the work may be
     * writing into the caller's buffer, so the caller must not go on before it ends. An interrupt
     * stays pending for the caller to see afterwards.
     */
    static <T> T call(Hub hub, Executor pool, Callable<T> work) throws Exception {
        Offload<T> offload = new Offload<>(work, Thread.currentThread(), hub);
        pool.execute(offload);
        boolean interrupted = false;
        while (!offload.done) {
            LockSupport.park(offload);
            if (Thread.interrupted()) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (offload.failure != null) {
            if (offload.failure instanceof Exception e) {
                throw e;
            }
            throw (Error) offload.failure;
        }
        return offload.result;
    }

    /** {@link #call} for file I/O: the caller's own IOException passes through, anything else checked is wrapped. */
    static <T> T io(Hub hub, Executor pool, Callable<T> work) throws java.io.IOException {
        try {
            return call(hub, pool, work);
        } catch (java.io.IOException | RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new java.io.IOException(e);
        }
    }

    @Override
    public void run() {
        try {
            result = work.call();
        } catch (Throwable t) {
            failure = t;
        }
        done = true;
        LockSupport.unpark(waiter);
        // A waiter that could not unmount (say, a class being loaded) parks in the Hub's loop
        // instead; the unpark above only set its permit, so wake the loop to let it see that.
        hub.wakeup();
    }
}

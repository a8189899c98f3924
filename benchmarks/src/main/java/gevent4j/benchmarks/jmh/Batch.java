package gevent4j.benchmarks.jmh;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Lets the JMH thread hand one batch of work to long-lived helper threads and wait for it.
 *
 * <p>The helpers are started once per trial (in {@code @Setup}); each benchmark invocation bumps a
 * generation number, unparks them and parks until one of them reports the same generation as
 * finished. This costs one wake-up in each direction per batch, which the
 * {@code @OperationsPerInvocation} batch size amortises to a few nanoseconds per operation.
 */
final class Batch {

    private volatile int started;
    private volatile int finished;
    private volatile Thread waiter;
    private volatile boolean stopped;

    /** JMH thread: starts the next batch on {@code workers} and waits until it is finished. */
    void run(Thread... workers) {
        waiter = Thread.currentThread();
        int generation = started + 1;
        started = generation;
        for (Thread worker : workers) {
            LockSupport.unpark(worker);
        }
        while (finished != generation) {
            LockSupport.park(this);
        }
    }

    /** Helper: waits for a batch newer than {@code last}; returns its generation, or -1 once stopped. */
    int awaitStart(int last) {
        int generation;
        while ((generation = started) == last) {
            if (stopped) {
                return -1;
            }
            LockSupport.park(this);
        }
        return stopped ? -1 : generation;
    }

    /** Helper: reports {@code generation} finished and wakes the JMH thread. */
    void finish(int generation) {
        finished = generation;
        LockSupport.unpark(waiter);
    }

    boolean stopped() {
        return stopped;
    }

    /** Tear-down: stops and joins the helpers (they are idle between batches). */
    void stop(Thread... workers) throws InterruptedException {
        stopped = true;
        for (Thread worker : workers) {
            LockSupport.unpark(worker);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Thread worker : workers) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            worker.join(Math.max(1, left));
            if (worker.isAlive()) {
                throw new IllegalStateException(worker + " did not stop within 10 s");
            }
        }
    }
}

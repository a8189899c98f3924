package gevent4j.hub;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Native (platform) threads for work that must block an OS thread: regular-file reads, the
 * system resolver. Threads are started on demand up to {@code maxThreads} and end after
 * {@code idleTimeout} without work ({@code threadpool_idle_task_timeout}); a negative timeout
 * keeps them forever. Work beyond the maximum waits in FIFO order.
 */
public final class ThreadPool implements Executor {

    private final int maxThreads;
    private final long idleNanos;
    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger threads = new AtomicInteger();
    private final AtomicInteger idle = new AtomicInteger();
    private final AtomicInteger names = new AtomicInteger();

    public ThreadPool(int maxThreads, Duration idleTimeout) {
        if (maxThreads < 1) {
            throw new IllegalArgumentException("maxThreads " + maxThreads);
        }
        this.maxThreads = maxThreads;
        this.idleNanos = idleTimeout.isNegative() ? -1 : idleTimeout.toNanos();
    }

    @Override
    public void execute(Runnable task) {
        queue.offer(task);
        // An idle worker takes one task. Compare with the queue, not with zero: in a burst, every
        // submit until the idle workers wake up would otherwise see "someone is idle" and the
        // rest of the burst would wait behind the running tasks (found with 55 DNS lookups).
        if (queue.size() > idle.get()) {
            maybeStartWorker();
        }
    }

    private void maybeStartWorker() {
        int n;
        while ((n = threads.get()) < maxThreads) {
            if (threads.compareAndSet(n, n + 1)) {
                Thread t = new Thread(null, this::work, "gevent4j-threadpool-" + names.incrementAndGet(), 0, false);
                t.setDaemon(true);
                t.start();
                return;
            }
        }
    }

    private void work() {
        try {
            while (true) {
                idle.incrementAndGet();
                Runnable task;
                try {
                    task = idleNanos < 0 ? queue.take() : queue.poll(idleNanos, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    task = null;
                } finally {
                    idle.decrementAndGet();
                }
                if (task == null) {
                    return;
                }
                // A submit that saw this worker still counted idle (it had taken its task but not
                // yet left the idle count) started no worker for its own task: whichever of the two
                // changes comes last sees the other, so check here too (ThreadPoolTest's burst).
                if (queue.size() > idle.get()) {
                    maybeStartWorker();
                }
                try {
                    task.run();
                } catch (Throwable t) {
                    Hub.handleError("threadpool task " + task, t);
                }
            }
        } finally {
            threads.decrementAndGet();
            // A task queued while this worker was timing out must not be stranded.
            if (queue.size() > idle.get()) {
                maybeStartWorker();
            }
        }
    }

    public int threadCount() {
        return threads.get();
    }
}

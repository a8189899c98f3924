package gevent4j.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ThreadPoolTest {

    @Test
    void aBurstGetsOneThreadPerBlockedTaskUpToTheMaximum() throws Exception {
        ThreadPool pool = new ThreadPool(64, Duration.ofSeconds(30));
        // Warm one worker so that it is idle when the burst arrives: the case that starved.
        CountDownLatch warm = new CountDownLatch(1);
        pool.execute(warm::countDown);
        assertTrue(warm.await(10, TimeUnit.SECONDS));
        CountDownLatch allRunning = new CountDownLatch(50);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < 50; i++) {
            pool.execute(() -> {
                allRunning.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        // Each task blocks until all 50 run at once: only possible with 50 threads.
        assertTrue(allRunning.await(30, TimeUnit.SECONDS),
            "tasks running at once: " + (50 - allRunning.getCount()) + " of 50, threads " + pool.threadCount());
        release.countDown();
    }

    @Test
    void neverMoreThreadsThanTheMaximumAndEveryTaskRuns() throws Exception {
        ThreadPool pool = new ThreadPool(4, Duration.ofSeconds(30));
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(200);
        for (int i = 0; i < 200; i++) {
            pool.execute(() -> {
                peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                running.decrementAndGet();
                done.countDown();
            });
        }
        assertTrue(done.await(60, TimeUnit.SECONDS));
        assertTrue(peak.get() <= 4, "peak " + peak.get());
        assertTrue(pool.threadCount() <= 4);
    }

    @Test
    void idleThreadsExitAfterTheTimeoutAndNewWorkStillRuns() throws Exception {
        ThreadPool pool = new ThreadPool(8, Duration.ofMillis(50));
        CountDownLatch first = new CountDownLatch(1);
        pool.execute(first::countDown);
        assertTrue(first.await(10, TimeUnit.SECONDS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pool.threadCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, pool.threadCount(), "idle workers should have exited");
        CountDownLatch second = new CountDownLatch(1);
        pool.execute(second::countDown);
        assertTrue(second.await(10, TimeUnit.SECONDS));
    }
}

package gevent4j.benchmarks.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A batch of {@value #THREADS} threads that each {@code Thread.sleep(}{@value #SLEEP_MS}{@code )}:
 * one operation is the whole batch, from the first {@code start()} to the last {@code join()}.
 * The ideal is {@value #SLEEP_MS} ms; what exceeds it is thread creation, timer resolution and
 * wake-up cost. Under the agent the sleeps are Hub loop timers.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SleepBatchBenchmark {

    static final int THREADS = 1_000;
    static final long SLEEP_MS = 10;

    private static final Runnable SLEEPER = () -> {
        try {
            Thread.sleep(SLEEP_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    };

    @Benchmark
    public void sleep1000x10ms() throws InterruptedException {
        Thread[] threads = new Thread[THREADS];
        for (int i = 0; i < THREADS; i++) {
            threads[i] = Threads.unstarted(SLEEPER);
            threads[i].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
    }
}

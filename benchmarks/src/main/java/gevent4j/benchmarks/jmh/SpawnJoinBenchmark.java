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
 * Thread life cycle: {@code new Thread(r).start(); join()} with an empty {@code r}. Without the
 * agent this creates and destroys an OS thread; under the agent the rewritten {@code new Thread}
 * still constructs the {@code Thread} object, which the agent swaps for a greenlet on the Hub.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SpawnJoinBenchmark {

    private static final Runnable NOTHING = () -> { };

    @Benchmark
    public Thread spawnJoin() throws InterruptedException {
        Thread thread = Threads.unstarted(NOTHING);
        thread.start();
        thread.join();
        return thread;
    }
}

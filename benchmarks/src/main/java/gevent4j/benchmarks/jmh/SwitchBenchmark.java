package gevent4j.benchmarks.jmh;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Thread switch cost: two threads made with {@code new Thread(...)} ping-pong with
 * {@code LockSupport.park}/{@code unpark}.
 *
 * <p>One operation is one switch, i.e. one one-way hand-off of the "turn": {@code ping} gives the
 * turn to {@code pong} and parks, {@code pong} wakes, gives it back and parks. An invocation is
 * {@value #ROUND_TRIPS} round trips = {@value #SWITCHES} switches. Without the agent these are two
 * platform threads (each switch is a futex wake plus a context switch, usually across the two
 * cores); under the agent they are greenlets on the one Hub thread (each switch is a continuation
 * yield plus a run of the other continuation); with {@code bench.threads=virtual} they are stock
 * virtual threads on a one-carrier ForkJoinPool.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SwitchBenchmark {

    static final int ROUND_TRIPS = 5_000;
    static final int SWITCHES = 2 * ROUND_TRIPS;

    private static final int PING = 0;
    private static final int PONG = 1;

    private final Batch batch = new Batch();
    private volatile int turn = PING;
    private Thread ping;
    private Thread pong;

    @Setup(Level.Trial)
    public void start() {
        ping = Threads.helper(this::ping, "switch-ping");
        pong = Threads.helper(this::pong, "switch-pong");
        pong.start();
        ping.start();
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        batch.stop(ping, pong);
    }

    @Benchmark
    @OperationsPerInvocation(SWITCHES)
    public void parkUnpark() {
        batch.run(ping);
    }

    private void ping() {
        int generation = 0;
        while ((generation = batch.awaitStart(generation)) >= 0) {
            for (int i = 0; i < ROUND_TRIPS; i++) {
                turn = PONG;
                LockSupport.unpark(pong);
                while (turn != PING) {
                    LockSupport.park(this);
                }
            }
            batch.finish(generation);
        }
    }

    private void pong() {
        while (true) {
            while (turn != PONG) {
                if (batch.stopped()) {
                    return;
                }
                LockSupport.park(this);
            }
            turn = PING;
            LockSupport.unpark(ping);
        }
    }
}

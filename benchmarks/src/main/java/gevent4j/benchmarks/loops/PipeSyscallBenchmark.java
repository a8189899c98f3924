package gevent4j.benchmarks.loops;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The write and the read of {@link LoopRoundTripBenchmark}'s round trip without a loop in between:
 * what a round trip costs that is not the loop's (two system calls through FFM downcalls).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class PipeSyscallBenchmark {

    private int readFd = -1;
    private int writeFd = -1;
    private Arena arena;
    private MemorySegment buffer;

    @Setup(Level.Trial)
    public void setUp() {
        int[] fds = Posix.pipe2(Posix.O_NONBLOCK | Posix.O_CLOEXEC);
        readFd = fds[0];
        writeFd = fds[1];
        arena = Arena.ofConfined();
        buffer = arena.allocate(1);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Posix.close(readFd);
        Posix.close(writeFd);
        arena.close();
    }

    @Benchmark
    public long writeRead() {
        if (Posix.write(writeFd, buffer, 1) != 1) {
            throw new IllegalStateException("write");
        }
        return Posix.read(readFd, buffer, 1);
    }
}

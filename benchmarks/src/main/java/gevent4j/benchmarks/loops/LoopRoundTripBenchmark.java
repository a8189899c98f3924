package gevent4j.benchmarks.loops;

import gevent4j.loop.IoWatcher;
import gevent4j.loop.Loop;
import gevent4j.loop.LoopOptions;
import gevent4j.loop.LoopProvider;
import gevent4j.loop.RunMode;
import gevent4j.loops.jdk.JdkLoopProvider;
import gevent4j.loops.libev.LibevFfmLoopProvider;
import gevent4j.loops.libev.LibevLoopProvider;
import gevent4j.loops.libuv.LibuvFfmLoopProvider;
import gevent4j.loops.libuv.LibuvLoopProvider;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A 1-byte round trip through one {@link Loop}, driven directly (no agent, no Hub, no greenlet):
 * write 1 byte into a non-blocking pipe, {@code loop.run(ONCE)}, the io watcher's callback fires
 * and reads the byte back. One operation is one such round trip. The C floor,
 * {@code benchmarks/native/libev_roundtrip.c}, does the same with libev's {@code ev_io} directly;
 * {@link PipeSyscallBenchmark} is the same write and read without any loop (the part of the round
 * trip that is not the loop's).
 *
 * <p>A loop belongs to the thread that created it: the loop is made in a trial-level setup of a
 * thread-scoped state, which JMH runs on the benchmark thread itself. The system calls go through
 * FFM downcalls ({@link Posix}), not NIO, to differ from the C program only in the loop.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    // What the loops need on a plain class path (the agent grants the same at run time): the jdk loop
    // reaches sun.nio.ch's epoll natives; JNR/jffi and the FFM downcalls load native code.
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens", "java.base/java.io=ALL-UNNAMED",
    "--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED"})
public class LoopRoundTripBenchmark {

    @Param({"jdk", "libev", "libuv", "libev-ffm", "libuv-ffm"})
    public String loop;

    private Loop theLoop;
    private IoWatcher watcher;
    private int readFd = -1;
    private int writeFd = -1;
    private Arena arena;
    private MemorySegment out;
    private MemorySegment in;
    private long sent;
    private long received;
    private Thread owner;

    static LoopProvider provider(String name) {
        return switch (name) {
            case "jdk" -> new JdkLoopProvider();
            case "libev" -> new LibevLoopProvider();
            case "libuv" -> new LibuvLoopProvider();
            case "libev-ffm" -> new LibevFfmLoopProvider();
            case "libuv-ffm" -> new LibuvFfmLoopProvider();
            default -> throw new IllegalArgumentException("unknown loop " + name);
        };
    }

    @Setup(Level.Trial)
    public void setUp() {
        LoopProvider provider = provider(loop);
        provider.ensureAvailability();
        theLoop = provider.create(LoopOptions.defaults());
        owner = Thread.currentThread();
        int[] fds = Posix.pipe2(Posix.O_NONBLOCK | Posix.O_CLOEXEC);
        readFd = fds[0];
        writeFd = fds[1];
        arena = Arena.ofConfined();
        out = arena.allocate(1);
        out.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 'x');
        in = arena.allocate(1);
        watcher = theLoop.io(readFd, Loop.READ, (w, revents) -> {
            if (Posix.read(readFd, in, 1) == 1) {
                received++;
            }
        });
        if (watcher.start() != 0) {
            throw new IllegalStateException(loop + ": io watcher did not start");
        }
        System.out.println("\nloop: " + theLoop.describe());
    }

    @Benchmark
    public long roundTrip() {
        Posix.write(writeFd, out, 1);
        sent++;
        theLoop.run(RunMode.ONCE);
        return received;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("teardown on another thread than the loop's owner");
        }
        watcher.stop();
        theLoop.fdClosing(readFd);
        theLoop.destroy();
        Posix.close(readFd);
        Posix.close(writeFd);
        arena.close();
        if (received != sent) {
            throw new IllegalStateException(loop + ": " + sent + " bytes written but " + received
                    + " read by the io callback: the round trip is not what it claims to be");
        }
        System.out.println("\n" + loop + ": " + sent + " round trips, every byte read by the io callback");
    }
}

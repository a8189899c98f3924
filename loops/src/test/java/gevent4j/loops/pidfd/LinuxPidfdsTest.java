package gevent4j.loops.pidfd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import gevent4j.loop.IoWatcher;
import gevent4j.loop.Loop;
import gevent4j.loop.LoopOptions;
import gevent4j.loop.LoopProvider;
import gevent4j.loop.ProcessDescriptors;
import gevent4j.loop.RunMode;
import gevent4j.loop.TimerWatcher;
import gevent4j.loops.jdk.JdkLoopProvider;
import gevent4j.loops.libev.LibevLoopProvider;
import gevent4j.loops.libuv.LibuvLoopProvider;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Process descriptors against real processes, watched by each loop. The children here are
 * started with {@code posix_spawn} (through the FFM API), not by the JDK, whose reaper thread
 * would otherwise reap them behind the test's back: this test reaps them itself, which is also
 * how it shows that nothing in {@link LinuxPidfds} ever does.
 */
class LinuxPidfdsTest {

    private static final long HANG_GUARD_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int SIGKILL = 9;
    private static final LinuxPidfds PIDFDS = new LinuxPidfds();

    @BeforeAll
    static void available() {
        // Linux 5.3 or later, without a seccomp filter against pidfd_open: what gevent4j's tests need.
        assertTrue(PIDFDS.isAvailable(), PIDFDS::describe);
    }

    static Stream<LoopProvider> loops() {
        return Stream.of(new JdkLoopProvider(), new LibevLoopProvider(), new LibuvLoopProvider());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("loops")
    void aDescriptorIsReadableOnceItsChildExitedAndLeavesItWaitable(LoopProvider provider) throws Throwable {
        provider.ensureAvailability();
        Loop loop = provider.create(LoopOptions.defaults());
        long pid = spawn("sleep", "1000");
        try {
            int pidfd = PIDFDS.open(pid);
            assertTrue(pidfd >= 0, "pidfd_open failed with errno " + -pidfd);
            assertEquals(ProcessDescriptors.RUNNING, PIDFDS.exitState(pid));

            List<Integer> revents = new ArrayList<>();
            IoWatcher watcher = loop.io(pidfd, Loop.READ, (w, events) -> {
                revents.add(events);
                w.stop();
            });
            assertEquals(0, watcher.start());
            loop.run(RunMode.NOWAIT);
            assertEquals(List.of(), revents, "readable while the child runs");

            assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly());
            runUntil(loop, () -> !revents.isEmpty());
            assertEquals(Loop.READ, revents.get(0) & Loop.READ);

            // Looking does not reap: still there for its owner, as often as asked.
            assertEquals(ProcessDescriptors.EXITED, PIDFDS.exitState(pid));
            assertEquals(ProcessDescriptors.EXITED, PIDFDS.exitState(pid));
            watcher.close();
            loop.fdClosing(pidfd);
            PIDFDS.close(pidfd);
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            int status = waitpid(pid);
            loop.destroy();
            assertEquals(SIGKILL, status & 0x7f, "the child's owner reaps it, killed by SIGKILL: status " + status);
        }
        assertEquals(-ProcessDescriptors.ECHILD, PIDFDS.exitState(pid), "reaped by its owner");
    }

    @Test
    void exitStateOfAProcessThatIsNotAChildIsEchild() {
        long parent = ProcessHandle.current().parent().orElseThrow().pid();
        assertEquals(-ProcessDescriptors.ECHILD, PIDFDS.exitState(parent));
    }

    @Test
    void openOfAProcessThatDoesNotExistIsEsrch() {
        // Above any pid_max Linux allows (2^22).
        assertEquals(-PidfdLibc.ESRCH, PIDFDS.open(Integer.MAX_VALUE));
    }

    private static void runUntil(Loop loop, java.util.function.BooleanSupplier condition) {
        boolean[] hung = new boolean[1];
        TimerWatcher guard = loop.timer(w -> hung[0] = true);
        guard.unref();
        guard.start(HANG_GUARD_NANOS, 0);
        while (!condition.getAsBoolean()) {
            loop.run(RunMode.ONCE);
            if (hung[0]) {
                fail("the process descriptor was not reported readable within 10 s of the child's death");
            }
        }
        guard.close();
    }

    // ---- children the JDK does not know about ------------------------------------------------

    private static final Linker LINKER = Linker.nativeLinker();

    private static long spawn(String... argv) throws Throwable {
        MethodHandle spawnp = LINKER.downcallHandle(LINKER.defaultLookup().find("posix_spawnp").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment args = arena.allocate(ValueLayout.ADDRESS, argv.length + 1);
            for (int i = 0; i < argv.length; i++) {
                args.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(argv[i]));
            }
            args.setAtIndex(ValueLayout.ADDRESS, argv.length, MemorySegment.NULL);
            MemorySegment env = arena.allocate(ValueLayout.ADDRESS, 1);
            env.setAtIndex(ValueLayout.ADDRESS, 0, MemorySegment.NULL);
            MemorySegment pid = arena.allocate(ValueLayout.JAVA_INT);
            int rc = (int) spawnp.invokeExact(pid, arena.allocateFrom(argv[0]), MemorySegment.NULL, MemorySegment.NULL,
                args, env);
            assertEquals(0, rc, "posix_spawnp " + String.join(" ", argv));
            return pid.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /** {@code waitpid(pid, &status, 0)}: the raw status. */
    private static int waitpid(long pid) throws Throwable {
        MethodHandle waitpid = LINKER.downcallHandle(LINKER.defaultLookup().find("waitpid").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(ValueLayout.JAVA_INT);
            int reaped = (int) waitpid.invokeExact((int) pid, status, 0);
            assertEquals(pid, reaped, "waitpid: the child was reaped by someone else");
            return status.get(ValueLayout.JAVA_INT, 0);
        }
    }
}

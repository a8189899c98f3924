package gevent4j.loops.libuv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.loop.IoWatcher;
import gevent4j.loop.Loop;
import gevent4j.loop.LoopOptions;
import gevent4j.loop.RunMode;
import gevent4j.loop.TimerWatcher;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Thousands of watched descriptors closed and their numbers reused, through {@code fdClosing}, from
 * another thread with {@code fdClosedElsewhere}, and behind the loop's back. A libuv {@code abort()}
 * kills the JVM it happens in, so the stress runs in a child JVM: the test fails with its exit
 * status and output instead of taking the surefire fork (and every later test) down with it.
 * {@link #theHarnessSeesALibuvAbort()} shows that such an abort is real and is caught.
 */
class LibuvFdReuseStressTest {

    private static final int SIGABRT_EXIT = 128 + 6;

    @ParameterizedTest(name = "loop={0}")
    @ValueSource(strings = {"libuv", "libuv-ffm"})
    void closingAndReusingWatchedDescriptorsNeverAbortsTheJvm(String loop) throws Exception {
        Child child = runChild("stress", loop);
        assertEquals(0, child.exit, "the stress JVM died or failed (exit " + child.exit + "):\n" + child.output);
        assertTrue(child.output.contains("stress ok"), child.output);
        child.output.lines().filter(l -> l.startsWith("stress: ")).forEach(System.out::println);
    }

    @Test
    void theHarnessSeesALibuvAbort() throws Exception {
        Child child = runChild("raw-abort", "libuv");
        assertEquals(SIGABRT_EXIT, child.exit, "raw libuv registering a closed descriptor should abort():\n" + child.output);
    }

    private record Child(int exit, String output) {
    }

    private static Child runChild(String mode, String loop) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED", "-Xshare:auto", "-XX:-CreateCoredumpOnCrash",
            "-cp", System.getProperty("java.class.path"), LibuvFdReuseStressTest.class.getName(), mode, loop);
        pb.redirectErrorStream(true);
        Process process = pb.start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes(); // until the child exits
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the " + mode + " JVM did not finish:\n" + new String(out));
        }
        return new Child(process.exitValue(), new String(out));
    }

    // ---- the child JVM ------------------------------------------------------------------------

    public static void main(String[] args) throws Exception {
        try {
            if (args[0].equals("raw-abort")) {
                rawAbort();
            } else {
                new Stress(args[1].equals("libuv-ffm") ? new LibuvFfmLoopProvider() : new LibuvLoopProvider()).run();
                System.out.println("stress ok");
            }
            System.exit(0);
        } catch (Throwable t) {
            t.printStackTrace(System.out);
            System.exit(1);
        }
    }

    private static int fdOf(Channel channel) throws ReflectiveOperationException {
        Method m = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
        m.setAccessible(true);
        return (int) m.invoke(channel);
    }

    private static int fdOf(RandomAccessFile raf) throws ReflectiveOperationException, IOException {
        Method m = Class.forName("sun.nio.ch.IOUtil").getDeclaredMethod("fdVal", java.io.FileDescriptor.class);
        m.setAccessible(true);
        return (int) m.invoke(null, raf.getFD());
    }

    /** Plain libuv, no gevent4j loop: poll a pipe, close it before uv_run. libuv aborts. */
    private static void rawAbort() throws Exception {
        LibuvProbe probe = LibuvProbe.get();
        if (probe.cause() != null) {
            throw new AssertionError("libuv unavailable (install libuv1): " + probe.cause().getMessage());
        }
        Libuv uv = probe.uv();
        long loop = uv.memory().allocate("test: raw uv_loop_t", probe.layout().loopSize());
        long handle = uv.memory().allocate("test: raw uv_poll_t", probe.layout().pollSize());
        Libuv.PollCallback callback = (h, status, events) -> { };
        long cb = uv.newUpcalls().poll(callback);
        Pipe p = Pipe.open();
        check(uv.uv_loop_init(loop) == 0, "uv_loop_init");
        check(uv.uv_poll_init(loop, handle, fdOf(p.source())) == 0, "uv_poll_init");
        check(uv.uv_poll_start(handle, Libuv.UV_READABLE, cb) == 0, "uv_poll_start");
        p.source().close();
        System.out.println("uv_run with a closed descriptor queued for registration");
        System.out.flush();
        uv.uv_run(loop, Libuv.UV_RUN_NOWAIT);
        System.out.println("libuv did not abort " + callback);
        System.exit(3);
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    /** The stress itself; any failed check or crash makes the child's exit status non-zero. */
    private static final class Stress {
        private final Loop loop;
        private final ExecutorService closer = Executors.newSingleThreadExecutor();
        private final ByteBuffer one = ByteBuffer.allocate(1);
        private final Path file;
        private TimerWatcher guard;
        private boolean guardFired;
        private int closedCalls;

        Stress(LibuvProviderBase provider) throws IOException {
            loop = provider.create(LoopOptions.defaults());
            file = Files.createTempFile("gevent4j-libuv-stress", ".txt");
            Files.writeString(file, "regular");
        }

        void run() throws Exception {
            guard = loop.timer(w -> guardFired = true);
            guard.unref();
            try {
                long t0 = System.nanoTime();
                viaFdClosing(3000);
                viaAnotherThread(1500);
                concurrentlyWithABlockedLoop(500);
                whileBeingRegistered(3000);
                check(!loop.run(RunMode.NOWAIT), "nothing left alive: " + loop.debug());
                String debug = loop.debug();
                check(debug.contains("0 descriptors watched"), debug);
                System.out.printf("stress: %d CLOSED calls in %d ms; %s%n", closedCalls, (System.nanoTime() - t0) / 1_000_000,
                    debug.lines().findFirst().orElse(""));
            } finally {
                closer.shutdownNow();
                loop.destroy();
                Files.deleteIfExists(file);
            }
        }

        private final class Watched {
            final List<IoWatcher> watchers = new ArrayList<>();
            final List<List<Integer>> events = new ArrayList<>();

            Watched(int fd, int... masks) {
                for (int mask : masks) {
                    List<Integer> got = new ArrayList<>();
                    events.add(got);
                    IoWatcher w = loop.io(fd, mask, (x, e) -> {
                        got.add(e);
                        if ((e & Loop.CLOSED) != 0) {
                            closedCalls++;
                        }
                    });
                    check(w.start() == 0, "start on fd " + fd);
                    watchers.add(w);
                }
            }

            /** After a close: every watcher stopped, told exactly once, and told last. */
            void checkClosedOnce(String where) {
                for (int i = 0; i < watchers.size(); i++) {
                    List<Integer> got = events.get(i);
                    check(!watchers.get(i).isActive(), where + ": watcher " + i + " still active");
                    check(got.stream().filter(e -> (e & Loop.CLOSED) != 0).count() == 1, where + ": " + got);
                    check(got.get(got.size() - 1) == (Loop.CLOSED | Loop.READ | Loop.WRITE), where + ": " + got);
                }
            }

            boolean anyGot(int mask) {
                return events.stream().anyMatch(l -> l.stream().anyMatch(e -> (e & mask) != 0));
            }

            void stopAndClose() {
                watchers.forEach(IoWatcher::close);
            }
        }

        private void runOnceGuarded() {
            guard.start(TimeUnit.SECONDS.toNanos(10), 0);
            loop.run(RunMode.ONCE);
            guard.stop();
            check(!guardFired, "run(ONCE) hung: " + loop.debug());
        }

        private Pipe pipe() throws IOException {
            Pipe p = Pipe.open();
            p.source().configureBlocking(false);
            p.sink().configureBlocking(false);
            return p;
        }

        private static void close(Pipe p) throws IOException {
            p.source().close();
            p.sink().close();
        }

        /** Closes on the loop thread through fdClosing, at every point of the watchers' life. */
        private void viaFdClosing(int cycles) throws Exception {
            for (int i = 0; i < cycles; i++) {
                Pipe p = pipe();
                int r = fdOf(p.source());
                int w = fdOf(p.sink());
                Watched reads = new Watched(r, Loop.READ, Loop.READ, Loop.READ | Loop.WRITE);
                Watched writes = new Watched(w, Loop.WRITE, Loop.READ | Loop.WRITE);
                switch (i % 4) {
                    case 0 -> { // registered and firing
                        p.sink().write(one.clear());
                        runOnceGuarded();
                        check(reads.anyGot(Loop.READ) && writes.anyGot(Loop.WRITE), "round " + i + ": no events");
                    }
                    case 1 -> { // closed before libuv ever saw it (libuv would abort if it then registered it)
                    }
                    case 2 -> { // a mask change pending when it closes
                        loop.run(RunMode.NOWAIT);
                        reads.watchers.get(0).stop();
                        reads.watchers.get(0).set(r, Loop.WRITE);
                        check(reads.watchers.get(0).start() == 0, "restart");
                    }
                    default -> { // stopped, one restarted, closed; the next round reuses the numbers unrun
                        loop.run(RunMode.NOWAIT);
                        reads.watchers.forEach(IoWatcher::stop);
                        writes.watchers.forEach(IoWatcher::stop);
                        reads.watchers.get(1).start();
                    }
                }
                loop.fdClosing(r);
                loop.fdClosing(w);
                close(p);
                if (i % 4 != 3) {
                    reads.checkClosedOnce("fdClosing round " + i);
                    writes.checkClosedOnce("fdClosing round " + i);
                }
                reads.stopAndClose();
                writes.stopAndClose();
                if (i % 8 == 0) {
                    loop.run(RunMode.NOWAIT);
                }
            }
            loop.run(RunMode.NOWAIT);
        }

        /**
         * Closes on another thread, announced with fdClosedElsewhere or not at all (behind the loop's
         * back), and the numbers come back at once: as new pipes, or as a regular file.
         */
        private void viaAnotherThread(int cycles) throws Exception {
            for (int i = 0; i < cycles; i++) {
                Pipe p = pipe();
                int r = fdOf(p.source());
                int w = fdOf(p.sink());
                Watched old = new Watched(r, Loop.READ, Loop.READ); // WRITE below is a real mask change
                Watched oldWrites = new Watched(w, Loop.WRITE);
                loop.run(RunMode.NOWAIT);
                boolean announced = i % 5 < 3;
                closer.submit(() -> {
                    close(p);
                    if (announced) {
                        loop.fdClosedElsewhere(r);
                        loop.fdClosedElsewhere(w);
                    }
                    return null;
                }).get();
                RandomAccessFile raf = i % 5 == 2 || i % 5 == 4 ? new RandomAccessFile(file.toFile(), "r") : null;
                try {
                    boolean fileReused = raf != null && fdOf(raf) == r;
                    if (i % 5 == 0) { // a new pipe on the same numbers: its events must arrive
                        Pipe q = pipe();
                        Watched fresh = new Watched(fdOf(q.source()), Loop.READ, Loop.READ);
                        q.sink().write(one.clear());
                        for (int n = 0; n < 100 && !fresh.anyGot(Loop.READ); n++) {
                            runOnceGuarded();
                        }
                        check(fresh.anyGot(Loop.READ), "round " + i + ": the reused number lost its events");
                        loop.fdClosing(fdOf(q.source()));
                        loop.fdClosing(fdOf(q.sink()));
                        fresh.checkClosedOnce("reuse round " + i);
                        close(q);
                    } else {
                        // A stale watcher changes its mask on a number that is closed or now names a
                        // regular file, announced or not: the kernel refuses it (the jdk loop's errors),
                        // the other stale watcher is told at the next run, libuv never sees it.
                        IoWatcher first = old.watchers.get(0);
                        first.stop();
                        first.set(r, Loop.WRITE);
                        int err = first.start();
                        check(err == (fileReused ? -1 : -9), "round " + i + ": start gave " + err);
                        check(!first.isActive(), "round " + i + ": started on a closed number");
                        old.watchers.remove(0);
                        old.events.remove(0);
                        loop.run(RunMode.NOWAIT);
                        old.checkClosedOnce((announced ? "announced" : "unannounced") + (fileReused ? " file" : "")
                            + " round " + i);
                        if (fileReused) {
                            check(loop.io(r, Loop.READ, (x, e) -> { }).start() == -1, "EPERM on the file");
                        }
                    }
                } finally {
                    if (raf != null) {
                        raf.close();
                    }
                }
                old.stopAndClose();
                oldWrites.stopAndClose();
                loop.run(RunMode.NOWAIT);
            }
        }

        /** Closes on another thread at a random moment while the loop sleeps in run(ONCE). */
        private void concurrentlyWithABlockedLoop(int cycles) throws Exception {
            for (int i = 0; i < cycles; i++) {
                Pipe p = pipe();
                int r = fdOf(p.source());
                Watched watched = new Watched(r, Loop.READ, Loop.READ | Loop.WRITE);
                new Watched(fdOf(p.sink()), Loop.WRITE).stopAndClose(); // started and stopped: a stopped handle
                loop.run(RunMode.NOWAIT);
                Future<?> closing = closer.submit(() -> {
                    LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(200_000));
                    close(p);
                    loop.fdClosedElsewhere(r);
                    return null;
                });
                TimerWatcher tick = loop.timer(t -> { });
                while (!closing.isDone()) {
                    tick.start(TimeUnit.MILLISECONDS.toNanos(1), 0);
                    runOnceGuarded();
                }
                closing.get();
                loop.run(RunMode.NOWAIT); // the stale handle is replaced; the number is closed: CLOSED
                loop.run(RunMode.NOWAIT);
                watched.checkClosedOnce("concurrent round " + i);
                watched.stopAndClose();
                tick.close();
            }
        }

        /**
         * Closes on another thread at a random moment while the loop keeps changing the descriptor's
         * mask (every iteration registers it anew), announced afterwards. With libuv registering the
         * descriptor itself, this aborted within seconds.
         */
        private void whileBeingRegistered(int cycles) throws Exception {
            for (int i = 0; i < cycles; i++) {
                Pipe p = pipe();
                int r = fdOf(p.source());
                Watched reader = new Watched(r, Loop.READ);
                IoWatcher writer = loop.io(r, Loop.WRITE, (x, e) -> { });
                Future<?> closing = closer.submit(() -> {
                    LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(50_000));
                    close(p);
                    loop.fdClosedElsewhere(r);
                    return null;
                });
                for (int n = 0; !closing.isDone(); n++) {
                    if ((n & 1) == 0) {
                        writer.start(); // may fail (EBADF) once the number is closed
                    } else {
                        writer.stop();
                    }
                    loop.run(RunMode.NOWAIT);
                }
                closing.get();
                loop.run(RunMode.NOWAIT);
                reader.checkClosedOnce("registration race round " + i);
                reader.stopAndClose();
                writer.close();
            }
        }
    }
}

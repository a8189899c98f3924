package gevent4j.loops.libev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import gevent4j.loop.AbstractLoopConformanceTest;
import gevent4j.loop.HookWatcher;
import gevent4j.loop.IoWatcher;
import gevent4j.loop.Loop;
import gevent4j.loop.LoopOptions;
import gevent4j.loop.RunMode;
import gevent4j.loop.TimerWatcher;
import gevent4j.loops.ffi.Jffi;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop conformance suite on one libev backend, plus what is particular to libev: the
 * description, and descriptors closed and reused under watch, which Debian's libev (built with its
 * assertions) answers with abort() unless the loop keeps it from ever meeting a closed descriptor.
 * Fails, never skips, when libev is missing: the failure says how to install it.
 */
abstract class AbstractLibevLoopTest extends AbstractLoopConformanceTest {

    /** The {@code libev_backend} value under test, or null for libev's choice. */
    protected abstract String backend();

    /**
     * Why this backend cannot survive a watched descriptor closed by another thread while the loop
     * blocks in its poll, or null when it can.
     */
    protected String closeDuringBlockingPollIsFatal() {
        return null;
    }

    /** The binding under test: JNR ({@code libev}) unless a subclass says FFM ({@code libev-ffm}). */
    protected LibevProviderBase provider() {
        return new LibevLoopProvider();
    }

    @Override
    protected Loop newLoop() {
        return provider().create(new LoopOptions(backend(), true));
    }

    @Test
    void describeNamesTheVersionAndTheBackend() {
        String description = loop.describe();
        String pattern = provider().name().equals("libev-ffm")
            ? "libev-ffm: libev 4\\.\\d+ through java\\.lang\\.foreign" : "libev 4\\.\\d+";
        assertTrue(description.matches(pattern + ", backend \\w+ \\(usable: .+\\)"), description);
        if (backend() != null) {
            assertTrue(description.contains("backend " + backend() + " "), description);
        }
        assertEquals(provider().name(), loop.name());
    }

    @Test
    void debugListsTheWatchers() throws IOException {
        Pipe p = Pipe.open();
        try {
            int fd = fdOf(p.source());
            IoWatcher w = loop.io(fd, Loop.READ, (x, e) -> { });
            w.start();
            TimerWatcher t = loop.timer(x -> { });
            t.start(TimeUnit.HOURS.toNanos(1), 0);
            loop.run(RunMode.NOWAIT);
            String debug = loop.debug();
            assertTrue(debug.contains("fd " + fd + ": libev mask READ"), debug);
            assertTrue(debug.contains("io(fd=" + fd), debug);
            assertTrue(debug.contains("1 timers"), debug);
            loop.fdClosing(fd);
            t.stop();
        } finally {
            p.source().close();
            p.sink().close();
        }
    }

    @Test
    void timersEndTheWaitThroughATimerfdThatDoesNotSpinTheNextWait() throws Exception {
        LibevLoop libev = (LibevLoop) loop;
        assertEquals(1L, loop.timerResolutionNanos(), "timers are not rounded to milliseconds: " + loop.debug());
        boolean[] fired = {false};
        loop.timer(w -> fired[0] = true).start(TimeUnit.MICROSECONDS.toNanos(300), 0);
        runUntil(() -> fired[0]);
        // The timerfd is now expired, and readable until re-armed or disarmed: a wait with no timer
        // left must block, not return from every ev_run at once.
        RawPipe p = new RawPipe();
        try {
            IoWatcher reader = loop.io(p.readFd, Loop.READ, (w, e) -> w.stop());
            reader.start();
            int before = libev.libevIterations();
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(50);
                    p.writeByte();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            loop.run(RunMode.ONCE);
            writer.join();
            assertFalse(reader.isActive(), "woken by the pipe");
            int spent = libev.libevIterations() - before;
            assertTrue(spent <= 3, spent + " libev iterations for one wait: the expired timerfd spun the loop");
        } finally {
            loop.fdClosing(p.readFd);
            p.close();
        }
    }

    /** Test-only libc calls. */
    public interface TestLibC {
        int open(String path, int flags);

        int close(int fd);
    }

    @Test
    void startOnAClosedDescriptorOrADirectoryFailsOnEveryBackend(@TempDir Path dir) throws Exception {
        TestLibC libc = Jffi.load(TestLibC.class, LibevLibrary.LIBC);
        int fd = libc.open(dir.toString(), 0); // O_RDONLY
        assertTrue(fd >= 0);
        IoWatcher w = loop.io(fd, Loop.READ, (x, e) -> fail("no event expected"));
        try {
            assertEquals(-1, w.start(), "a directory: -EPERM, as epoll says");
            assertFalse(w.isActive());
        } finally {
            libc.close(fd);
        }
        // The same number, now closed (nothing else opens descriptors on this thread meanwhile).
        int err = w.start();
        assertEquals(-9, err, "a closed descriptor: -EBADF");
        assertFalse(w.isActive());
        assertFalse(loop.run(RunMode.NOWAIT));
    }

    // ---- runPinned ------------------------------------------------------------------------------

    @Test
    void runPinnedFiresTimersAndIoButRunsNoHooksAndNoCallbacks() throws Exception {
        List<String> log = new ArrayList<>();
        HookWatcher prepare = loop.prepare(() -> log.add("prepare"));
        HookWatcher check = loop.check(() -> log.add("check"));
        prepare.start();
        check.start();
        loop.runCallback(() -> log.add("callback"));
        TimerWatcher timer = loop.timer(w -> log.add("timer"));
        timer.start(0, 0);
        RawPipe p = new RawPipe();
        try {
            p.writeByte();
            IoWatcher reader = loop.io(p.readFd, Loop.READ, (w, e) -> log.add("io"));
            reader.start();
            loop.runPinned(0);
            assertEquals(List.of("timer", "io"), log);
            reader.stop();

            // A bounded wait with nothing to do returns after about that long.
            log.clear();
            long start = System.nanoTime();
            loop.runPinned(TimeUnit.MILLISECONDS.toNanos(30));
            long waited = System.nanoTime() - start;
            assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(25) && waited < TimeUnit.SECONDS.toNanos(5),
                "waited " + waited + " ns");
            assertEquals(List.of(), log);

            // A timer due within an unbounded wait ends it.
            timer.start(TimeUnit.MILLISECONDS.toNanos(5), 0);
            loop.runPinned(-1);
            assertEquals(List.of("timer"), log);

            // Another thread's callback wakes it, and waits to run until the loop runs normally.
            log.clear();
            Thread sender = new Thread(() -> {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
                loop.runCallbackThreadsafe(() -> log.add("threadsafe"));
            });
            sender.start();
            start = System.nanoTime();
            loop.runPinned(TimeUnit.SECONDS.toNanos(20));
            sender.join();
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "the wakeup was missed");
            assertEquals(List.of(), log);
            loop.run(RunMode.NOWAIT);
            assertEquals(List.of("prepare", "check", "callback", "threadsafe"), log);
        } finally {
            p.close();
            prepare.stop();
            check.stop();
        }
    }

    // ---- descriptors closed and reused under watch ---------------------------------------------

    private static final int STRESS_ROUNDS = 2000;

    /**
     * A non-blocking pipe, or a connected loopback socket pair, with the numbers of the end to read
     * and of the end to write.
     */
    private static final class RawPipe {
        private final Channel reader;
        private final Channel writer;
        final int readFd;
        final int writeFd;

        RawPipe() throws IOException {
            this(false);
        }

        RawPipe(boolean sockets) throws IOException {
            if (sockets) {
                try (ServerSocketChannel server = ServerSocketChannel.open()) {
                    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                    SocketChannel a = SocketChannel.open(server.getLocalAddress());
                    SocketChannel b = server.accept();
                    a.configureBlocking(false);
                    b.configureBlocking(false);
                    reader = a;
                    writer = b;
                }
            } else {
                Pipe pipe = Pipe.open();
                pipe.source().configureBlocking(false);
                pipe.sink().configureBlocking(false);
                reader = pipe.source();
                writer = pipe.sink();
            }
            readFd = fdOf(reader);
            writeFd = fdOf(writer);
        }

        void writeByte() throws IOException {
            ((WritableByteChannel) writer).write(ByteBuffer.wrap(new byte[] {1}));
        }

        void close() throws IOException {
            reader.close();
            writer.close();
        }
    }

    /** Closes pipes on its own thread, as another thread of the application would. */
    private static final class Closer implements AutoCloseable {
        private final SynchronousQueue<Runnable> jobs = new SynchronousQueue<>();
        private final SynchronousQueue<Object> done = new SynchronousQueue<>();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread thread = new Thread(this::work, "closer");

        Closer() {
            thread.setDaemon(true);
            thread.start();
        }

        private void work() {
            try {
                while (true) {
                    Runnable job = jobs.take();
                    try {
                        job.run();
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                    done.put(job);
                }
            } catch (InterruptedException e) {
                // closed
            }
        }

        void submit(Runnable job) throws InterruptedException {
            jobs.put(job);
        }

        void awaitDone() throws InterruptedException {
            if (done.poll(10, TimeUnit.SECONDS) == null) {
                fail("the closer thread hung");
            }
            if (failure.get() != null) {
                throw new AssertionError("closer failed", failure.get());
            }
        }

        @Override
        public void close() {
            thread.interrupt();
        }
    }

    private void closeElsewhere(Closer closer, RawPipe p) throws InterruptedException {
        closer.submit(() -> {
            try {
                p.close();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            loop.fdClosedElsewhere(p.readFd);
            loop.fdClosedElsewhere(p.writeFd);
        });
        closer.awaitDone();
    }

    /**
     * Thousands of pipes whose numbers the kernel hands out again at once: closed through
     * fdClosing, or on another thread and reported with fdClosedElsewhere while their watchers
     * stay active, with the number reused before the loop runs or not. The JVM must stay alive and
     * every new descriptor must get its events.
     */
    @Test
    void descriptorsClosedAndReusedUnderWatchKeepTheLoopAlive() throws Exception {
        List<IoWatcher> stale = new ArrayList<>();
        try (Closer closer = new Closer()) {
            for (int i = 0; i < STRESS_ROUNDS; i++) {
                RawPipe p = new RawPipe(i % 10 == 9);
                int[] reads = {0};
                int[] closedCalls = {0};
                IoWatcher r = loop.io(p.readFd, Loop.READ, (w, e) -> {
                    if ((e & Loop.CLOSED) != 0) {
                        closedCalls[0]++;
                    } else {
                        reads[0]++;
                    }
                });
                IoWatcher w = loop.io(p.writeFd, Loop.WRITE, (x, e) -> { });
                IoWatcher r2 = loop.io(p.readFd, Loop.READ | Loop.WRITE, (x, e) -> { });
                assertEquals(0, r.start(), "round " + i);
                assertEquals(0, w.start(), "round " + i);
                assertEquals(0, r2.start(), "round " + i);
                p.writeByte();
                runUntil(() -> reads[0] > 0);
                switch (i % 3) {
                    case 0 -> {
                        loop.fdClosing(p.readFd);
                        loop.fdClosing(p.writeFd);
                        p.close();
                        assertEquals(1, closedCalls[0], "round " + i);
                        assertFalse(r.isActive() || w.isActive() || r2.isActive(), "round " + i);
                    }
                    case 1 -> {
                        // Closed elsewhere; the watchers stay active on numbers nobody reuses yet.
                        closeElsewhere(closer, p);
                        loop.run(RunMode.NOWAIT);
                        loop.run(RunMode.NOWAIT);
                        stale.add(r);
                        stale.add(w);
                        stale.add(r2);
                    }
                    default -> {
                        // Closed elsewhere and the numbers reused at once, before the loop runs.
                        closeElsewhere(closer, p);
                        RawPipe q = new RawPipe(i % 10 == 9);
                        int[] fresh = {0};
                        IoWatcher nr = loop.io(q.readFd, Loop.READ, (x, e) -> fresh[0]++);
                        assertEquals(0, nr.start(), "round " + i);
                        q.writeByte();
                        runUntil(() -> fresh[0] > 0);
                        loop.fdClosing(q.readFd);
                        loop.fdClosing(q.writeFd);
                        q.close();
                        r.stop();
                        w.stop();
                        r2.stop();
                    }
                }
                if (stale.size() > 30) {
                    for (IoWatcher s : stale) {
                        s.stop();
                    }
                    stale.clear();
                }
            }
        }
        for (IoWatcher s : stale) {
            s.stop();
        }
        assertFalse(loop.run(RunMode.NOWAIT), "nothing left alive");
        RawPipe last = new RawPipe();
        try {
            int[] got = {0};
            IoWatcher w = loop.io(last.readFd, Loop.READ, (x, e) -> got[0]++);
            assertEquals(0, w.start());
            last.writeByte();
            runUntil(() -> got[0] > 0);
            loop.fdClosing(last.readFd);
        } finally {
            last.close();
        }
    }

    /**
     * As the Hub does when another thread closes a descriptor: fdClosedElsewhere, then fdClosing
     * queued to the loop thread, while the loop may be blocked in its poll.
     */
    @Test
    void descriptorsClosedElsewhereWhileTheLoopBlocksKeepTheLoopAlive() throws Exception {
        String fatal = closeDuringBlockingPollIsFatal();
        assumeTrue(fatal == null, fatal);
        try (Closer closer = new Closer()) {
            for (int i = 0; i < STRESS_ROUNDS / 4; i++) {
                RawPipe p = new RawPipe(i % 10 == 9);
                int[] closedCalls = {0};
                IoWatcher r = loop.io(p.readFd, Loop.READ, (w, e) -> {
                    if ((e & Loop.CLOSED) != 0) {
                        closedCalls[0]++;
                    }
                });
                assertEquals(0, r.start(), "round " + i);
                loop.run(RunMode.NOWAIT);
                int round = i;
                closer.submit(() -> {
                    if (round % 2 == 0) {
                        try {
                            Thread.sleep(0, 200_000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    try {
                        p.close();
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                    loop.fdClosedElsewhere(p.readFd);
                    loop.fdClosedElsewhere(p.writeFd);
                    loop.runCallbackThreadsafe(() -> loop.fdClosing(p.readFd));
                });
                runUntil(() -> closedCalls[0] > 0);
                closer.awaitDone();
                assertFalse(r.isActive(), "round " + i);
            }
        }
        RawPipe last = new RawPipe();
        try {
            int[] got = {0};
            IoWatcher w = loop.io(last.readFd, Loop.READ, (x, e) -> got[0]++);
            assertEquals(0, w.start());
            last.writeByte();
            runUntil(() -> got[0] > 0);
            loop.fdClosing(last.readFd);
        } finally {
            last.close();
        }
    }
}

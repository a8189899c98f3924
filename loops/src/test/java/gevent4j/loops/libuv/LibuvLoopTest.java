package gevent4j.loops.libuv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.loop.AbstractLoopConformanceTest;
import gevent4j.loop.HookWatcher;
import gevent4j.loop.IoWatcher;
import gevent4j.loop.Loop;
import gevent4j.loop.LoopException;
import gevent4j.loop.LoopOptions;
import gevent4j.loop.RunMode;
import gevent4j.loop.TimerWatcher;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop conformance suite against the libuv loop, plus what only the libuv loop has to get right:
 * libuv's abort()s, its O_NONBLOCK, its error status, callbacks that unwind into native code. Fails,
 * never skips, when libuv is missing: {@code create} then throws with the probe's message (install
 * libuv1).
 */
class LibuvLoopTest extends AbstractLoopConformanceTest {

    private static final int CLOSED = Loop.CLOSED | Loop.READ | Loop.WRITE;

    /** The binding under test: JNR ({@code libuv}) unless a subclass says FFM ({@code libuv-ffm}). */
    protected LibuvProviderBase provider() {
        return new LibuvLoopProvider();
    }

    /** The probe behind {@link #provider()}. */
    protected LibuvProbe probe() {
        return LibuvProbe.get();
    }

    @Override
    protected Loop newLoop() {
        return provider().create(LoopOptions.defaults());
    }

    private static final int O_NONBLOCK = 0x800;

    /** The descriptor's file status flags, as /proc/self/fdinfo shows them (octal). */
    private static int flags(int fd) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
            if (line.startsWith("flags:")) {
                return Integer.parseInt(line.substring("flags:".length()).trim(), 8);
            }
        }
        throw new AssertionError("no flags in /proc/self/fdinfo/" + fd);
    }

    /** How many descriptors this process has open. */
    private static int openDescriptors() throws IOException {
        try (var entries = Files.list(Path.of("/proc/self/fd"))) {
            return (int) entries.count();
        }
    }

    private static void writeByte(Pipe p) throws IOException {
        assertEquals(1, p.sink().write(ByteBuffer.wrap(new byte[] {1})));
    }

    private static void close(Pipe p) throws IOException {
        p.source().close();
        p.sink().close();
    }

    @Test
    void watchingADescriptorKeepsItsBlockingMode() throws IOException {
        Pipe blocking = Pipe.open();
        Pipe nonBlocking = Pipe.open();
        nonBlocking.source().configureBlocking(false);
        try {
            int[] fds = {fdOf(blocking.source()), fdOf(blocking.sink()), fdOf(nonBlocking.source())};
            int[] before = new int[fds.length];
            for (int i = 0; i < fds.length; i++) {
                before[i] = flags(fds[i]);
                assertEquals(0, loop.io(fds[i], Loop.READ | Loop.WRITE, (w, e) -> { }).start());
            }
            assertEquals(0, before[0] & O_NONBLOCK, "the JDK's blocking pipe");
            assertEquals(O_NONBLOCK, before[2] & O_NONBLOCK);
            loop.run(RunMode.NOWAIT);
            for (int i = 0; i < fds.length; i++) {
                assertEquals(before[i], flags(fds[i]), "the descriptor's flags are untouched: fd " + fds[i]);
            }
            for (int fd : fds) {
                loop.fdClosing(fd);
            }
        } finally {
            close(blocking);
            close(nonBlocking);
        }
    }

    /**
     * Raw libuv aborts when a descriptor it was asked to poll is closed before its next uv_run
     * (LibuvFdReuseStressTest shows it). Here it never learns of the descriptor: nothing happens
     * until the loop is told, as on the jdk loop.
     */
    @Test
    void aDescriptorClosedBehindTheLoopsBackBeforeTheFirstRunIsHarmless() throws IOException {
        for (int i = 0; i < 50; i++) {
            Pipe p = Pipe.open();
            int fd = fdOf(p.source());
            List<Integer> got = new ArrayList<>();
            IoWatcher reader = loop.io(fd, Loop.READ, (w, e) -> got.add(e));
            IoWatcher both = loop.io(fd, Loop.READ | Loop.WRITE, (w, e) -> got.add(e));
            assertEquals(0, reader.start());
            assertEquals(0, both.start());
            close(p); // behind the loop's back: no fdClosing
            loop.run(RunMode.NOWAIT);
            loop.run(RunMode.NOWAIT);
            assertEquals(List.of(), got, "round " + i);
            loop.fdClosing(fd); // late, and the number may be free: still only the watchers hear of it
            assertEquals(List.of(CLOSED, CLOSED), got, "round " + i);
            assertFalse(reader.isActive() || both.isActive());
        }
        assertFalse(loop.run(RunMode.NOWAIT));
    }

    @Test
    void aNumberClosedBehindTheLoopsBackAndReusedByARegularFileIsRefused(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("regular");
        Files.writeString(file, "data");
        for (int i = 0; i < 20; i++) {
            Pipe p = Pipe.open();
            int fd = fdOf(p.source());
            List<Integer> got = new ArrayList<>();
            IoWatcher old = loop.io(fd, Loop.READ, (x, e) -> got.add(e));
            assertEquals(0, old.start());
            loop.run(RunMode.NOWAIT);
            close(p); // behind the loop's back, the watcher still active; the number is free for the file
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
                boolean reused = fdOf(raf.getFD()) == fd;
                IoWatcher writer = loop.io(fd, Loop.WRITE, (x, e) -> got.add(e));
                assertEquals(reused ? -1 : -9, writer.start(), "EPERM for the file, EBADF for a free number");
                assertFalse(writer.isActive());
                loop.run(RunMode.NOWAIT); // the old registration is found gone and refused again: told
                assertEquals(List.of(CLOSED), got, "round " + i + (reused ? ", fd reused by the file" : ""));
                assertFalse(old.isActive());
                assertEquals(reused ? -1 : -9, loop.io(fd, Loop.READ, (x, e) -> { }).start());
            }
        }
    }

    @Test
    void errorsAreReportedAsBothEventsForAsLongAsTheyLast() throws IOException {
        Pipe p = Pipe.open();
        try {
            int readFd = fdOf(p.source());
            int writeFd = fdOf(p.sink());
            List<Integer> writer = new ArrayList<>();
            List<Integer> both = new ArrayList<>();
            IoWatcher w = loop.io(writeFd, Loop.WRITE, (x, e) -> writer.add(e));
            IoWatcher b = loop.io(writeFd, Loop.READ | Loop.WRITE, (x, e) -> both.add(e));
            w.start();
            b.start();
            loop.fdClosing(readFd);
            p.source().close(); // EPOLLERR on the write end; libuv stops the handle with UV_EBADF
            for (int i = 1; i <= 3; i++) {
                runOnceGuarded();
                assertEquals(i, writer.size(), "level-triggered: again in iteration " + i);
            }
            assertTrue(writer.stream().allMatch(e -> e == Loop.WRITE), writer.toString());
            assertTrue(both.stream().allMatch(e -> e == (Loop.READ | Loop.WRITE)), both.toString());
            assertTrue(w.isActive() && b.isActive());
            loop.fdClosing(writeFd);
        } finally {
            close(p);
        }
    }

    @Test
    void destroyFromAnIoCallbackWaitsForUvRunToReturn() throws IOException {
        Pipe p = Pipe.open();
        try {
            writeByte(p);
            int[] calls = {0};
            IoWatcher w = loop.io(fdOf(p.source()), Loop.READ, (x, e) -> {
                calls[0]++;
                loop.destroy();
            });
            w.start();
            loop.run(RunMode.ONCE);
            assertEquals(1, calls[0]);
            assertFalse(w.isActive());
            assertThrows(IllegalStateException.class, () -> loop.run(RunMode.NOWAIT));
        } finally {
            close(p);
        }
    }

    @Test
    void aVirtualMachineErrorInACallbackIsRethrownFromRunAndTheLoopGoesOn() throws IOException {
        Pipe p = Pipe.open();
        try {
            writeByte(p);
            IoWatcher w = loop.io(fdOf(p.source()), Loop.READ, (x, e) -> {
                x.stop();
                throw new OutOfMemoryError("from a callback");
            });
            w.start();
            OutOfMemoryError e = assertThrows(OutOfMemoryError.class, () -> loop.run(RunMode.ONCE));
            assertEquals("from a callback", e.getMessage());
            int[] fired = {0};
            loop.timer(t -> fired[0]++).start(0, 0);
            loop.run(RunMode.NOWAIT);
            assertEquals(1, fired[0]);
            loop.fdClosing(fdOf(p.source()));
        } finally {
            close(p);
        }
    }

    @Test
    void runFromAnIoCallbackIsRefused() throws IOException {
        List<Throwable> errors = new ArrayList<>();
        loop.setErrorHandler((context, error) -> errors.add(error));
        Pipe p = Pipe.open();
        try {
            writeByte(p);
            IoWatcher w = loop.io(fdOf(p.source()), Loop.READ, (x, e) -> {
                x.stop();
                loop.run(RunMode.NOWAIT);
            });
            w.start();
            runOnceGuarded();
            assertEquals(1, errors.size(), errors.toString());
            assertTrue(errors.get(0) instanceof IllegalStateException, errors.toString());
            loop.fdClosing(fdOf(p.source()));
        } finally {
            close(p);
        }
    }

    @Test
    void runPinnedFiresTimersAndIoButNoHooksAndNoCallbacks() throws IOException {
        List<String> log = new ArrayList<>();
        HookWatcher prepare = loop.prepare(() -> log.add("prepare"));
        HookWatcher check = loop.check(() -> log.add("check"));
        prepare.start();
        check.start();
        loop.runCallback(() -> log.add("callback"));
        loop.timer(t -> log.add("timer")).start(0, 0);
        Pipe p = Pipe.open();
        try {
            writeByte(p);
            IoWatcher w = loop.io(fdOf(p.source()), Loop.READ, (x, e) -> log.add("io"));
            w.start();
            loop.runPinned(0);
            assertEquals(List.of("timer", "io"), log);
            w.stop();

            log.clear();
            long waited = System.nanoTime();
            loop.runPinned(TimeUnit.MILLISECONDS.toNanos(30));
            waited = System.nanoTime() - waited;
            assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(25) && waited < TimeUnit.SECONDS.toNanos(5),
                "runPinned(30 ms) returned after " + waited + " ns");
            assertEquals(List.of(), log);

            TimerWatcher t = loop.timer(x -> log.add("timer2"));
            t.start(TimeUnit.MILLISECONDS.toNanos(5), 0);
            while (log.isEmpty()) {
                loop.runPinned(-1); // until a timer or an event
            }
            assertEquals(List.of("timer2"), log);

            log.clear();
            loop.run(RunMode.NOWAIT);
            assertEquals(List.of("prepare", "check", "callback"), log, "the callback was kept for a normal iteration");
            loop.fdClosing(fdOf(p.source()));
        } finally {
            close(p);
        }
    }

    @Test
    void debugListsDescriptorsAndLibuvsOwnHandles() throws IOException {
        Pipe p = Pipe.open();
        try {
            int fd = fdOf(p.source());
            loop.io(fd, Loop.READ, (x, e) -> { }).start();
            loop.io(fd, Loop.READ, (x, e) -> { }).start();
            loop.run(RunMode.NOWAIT);
            String debug = loop.debug();
            assertTrue(debug.contains("\n  fd " + fd + ": registered r, 2 watcher(s) r, r"), debug);
            assertTrue(debug.matches("(?s).*1 descriptors watched, nested epoll fd \\d+ \\(1 internal, batch of \\d+\\), "
                + "\\d+ epoll_ctl, \\d+ epoll_wait.*"), debug);
            assertTrue(debug.contains("poll x1 (1 active)"), debug); // the nested epoll set's
            assertTrue(debug.contains("timer x1 (1 active)"), debug); // the driver
            assertTrue(debug.contains("async x1 (1 active)"), debug); // the wakeup
            loop.fdClosing(fd);
            loop.run(RunMode.NOWAIT);
            debug = loop.debug();
            assertTrue(debug.contains("0 descriptors watched"), debug);
            assertTrue(debug.contains("poll x1 (1 active)"), debug); // one uv_poll_t, however many descriptors
        } finally {
            close(p);
        }
    }

    /**
     * More ready descriptors than one epoll_wait batch takes (the nested set's starts at 256; libuv's
     * own was 1,024, and libuv re-polled within one uv_run while its batches came back full): what
     * does not fit comes in the next iterations, and nothing is reported twice. Each watcher fires
     * exactly once, and once restarted on its still readable descriptor, exactly once more.
     */
    @Test
    void moreReadyDescriptorsThanOneLibuvBatchFireOnceEachAndAgainWhenRestarted() throws IOException {
        int n = 1_500;
        List<Pipe> pipes = new ArrayList<>();
        try {
            int[] fired = new int[n];
            List<IoWatcher> watchers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Pipe p = Pipe.open();
                pipes.add(p);
                writeByte(p);
                int index = i;
                watchers.add(loop.io(fdOf(p.source()), Loop.READ, (w, e) -> {
                    w.stop();
                    fired[index]++;
                }));
            }
            for (int round = 1; round <= 2; round++) {
                for (IoWatcher w : watchers) {
                    assertEquals(0, w.start());
                }
                for (int i = 0; i < 20 && sum(fired) < round * n; i++) {
                    loop.run(RunMode.NOWAIT);
                }
                loop.run(RunMode.NOWAIT); // nothing may fire for a stopped watcher
                for (int i = 0; i < n; i++) {
                    assertEquals(round, fired[i], "watcher " + i + " in round " + round);
                }
            }
        } finally {
            for (Pipe p : pipes) {
                loop.fdClosing(fdOf(p.source()));
                close(p);
            }
        }
    }

    private static int sum(int[] values) {
        int s = 0;
        for (int v : values) {
            s += v;
        }
        return s;
    }

    /**
     * The nested epoll set costs the loop a fixed number of descriptors: watching more descriptors,
     * with several watchers each, opens none (the placeholder design opened one per descriptor).
     */
    @Test
    void watchingDescriptorsOpensNoDescriptorOfTheLoopsOwn() throws IOException {
        int n = 200;
        List<Pipe> pipes = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                pipes.add(Pipe.open());
            }
            loop.run(RunMode.NOWAIT);
            int before = openDescriptors();
            int[] fired = {0};
            for (Pipe p : pipes) {
                writeByte(p);
                assertEquals(0, loop.io(fdOf(p.source()), Loop.READ, (w, e) -> {
                    w.stop();
                    fired[0]++;
                }).start());
                assertEquals(0, loop.io(fdOf(p.source()), Loop.READ | Loop.WRITE, (w, e) -> w.stop()).start());
                assertEquals(0, loop.io(fdOf(p.sink()), Loop.WRITE, (w, e) -> w.stop()).start());
            }
            for (int i = 0; i < 10 && fired[0] < n; i++) {
                loop.run(RunMode.NOWAIT);
            }
            assertEquals(n, fired[0]);
            assertEquals(before, openDescriptors(), "descriptors opened by watching " + 2 * n + " descriptors");
        } finally {
            for (Pipe p : pipes) {
                loop.fdClosing(fdOf(p.source()));
                loop.fdClosing(fdOf(p.sink()));
                close(p);
            }
        }
    }

    /**
     * A descriptor of the loop's own in the nested set (the hook a timerfd would use): its callback
     * gets the epoll events, level-triggered, in blocking and non-blocking polls; the application
     * cannot take its number over; once removed it is heard of no more.
     */
    @Test
    void anInternalDescriptorGetsItsOwnCallbackAndIsNotTheApplications() throws IOException {
        LibuvLoop libuv = (LibuvLoop) loop;
        Pipe p = Pipe.open();
        try {
            int fd = fdOf(p.source());
            List<Integer> got = new ArrayList<>();
            assertEquals(0, libuv.polls.addInternal(fd, Libc.EPOLLIN, got::add));
            assertEquals(-17, libuv.polls.addInternal(fd, Libc.EPOLLIN, got::add), "EEXIST: registered once");
            loop.run(RunMode.NOWAIT);
            assertEquals(List.of(), got);
            writeByte(p);
            runOnceGuarded(); // blocks in uv_run until the nested set is readable
            assertEquals(List.of(Libc.EPOLLIN), got);
            loop.run(RunMode.NOWAIT); // a direct drain: still readable
            assertEquals(List.of(Libc.EPOLLIN, Libc.EPOLLIN), got);
            assertEquals(-17, loop.io(fd, Loop.READ, (w, e) -> { }).start(), "the application may not take it over");
            assertTrue(loop.debug().contains("(2 internal"), loop.debug()); // its own and the timerfd
            libuv.polls.removeInternal(fd);
            loop.run(RunMode.NOWAIT);
            assertEquals(2, got.size());
        } finally {
            close(p);
        }
    }

    /**
     * The cost the nested set adds is one epoll_wait per iteration that sleeps: a loop that finds io
     * at every iteration (here a 1-byte round trip, written before each run(ONCE)) looks at the set
     * once per iteration and never needs uv_run's own epoll_wait.
     */
    @Test
    void aLoopThatKeepsFindingIoMakesOneEpollWaitPerIteration() throws IOException {
        Pipe p = Pipe.open();
        try {
            p.source().configureBlocking(false);
            ByteBuffer in = ByteBuffer.allocate(1);
            int[] got = {0};
            IoWatcher w = loop.io(fdOf(p.source()), Loop.READ, (x, e) -> {
                try {
                    got[0] += p.source().read(in.clear());
                } catch (IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            });
            assertEquals(0, w.start());
            writeByte(p);
            runOnceGuarded(); // the first one finds the set through uv_run
            long before = epollWaits();
            for (int i = 0; i < 100; i++) {
                writeByte(p);
                runOnceGuarded();
            }
            assertEquals(101, got[0]);
            assertEquals(100, epollWaits() - before, loop.debug());
            loop.fdClosing(fdOf(p.source()));
        } finally {
            close(p);
        }
    }

    /**
     * Timers end a blocking uv_run through a timerfd in the nested set, not libuv's millisecond
     * timeout. Once it expired it stays readable until re-armed or disarmed: the next wait, with no
     * timer left, must still block until its event instead of returning at once.
     */
    @Test
    void timersEndTheWaitThroughATimerfdThatDoesNotEndTheNextWait() throws Exception {
        assertEquals(1L, loop.timerResolutionNanos(), "timers are not rounded to milliseconds: " + loop.debug());
        boolean[] fired = {false};
        loop.timer(w -> fired[0] = true).start(TimeUnit.MICROSECONDS.toNanos(300), 0);
        runUntil(() -> fired[0]);
        Pipe p = Pipe.open();
        try {
            p.source().configureBlocking(false);
            IoWatcher reader = loop.io(fdOf(p.source()), Loop.READ, (w, e) -> w.stop());
            assertEquals(0, reader.start());
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(50);
                    writeByte(p);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            loop.run(RunMode.ONCE);
            writer.join();
            assertFalse(reader.isActive(), "run(ONCE) returned before the pipe was written: " + loop.debug());
            loop.fdClosing(fdOf(p.source()));
        } finally {
            close(p);
        }
    }

    private long epollWaits() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) epoll_wait").matcher(loop.debug());
        assertTrue(m.find(), loop.debug());
        return Long.parseLong(m.group(1));
    }

    /** uv_loop_close refuses a loop with an open handle: destroy() reports it and frees nothing. */
    @Test
    void aHandleLeftOpenMakesDestroyReportAndLeakRatherThanFree() {
        List<String> contexts = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        loop.setErrorHandler((context, error) -> {
            contexts.add(context);
            errors.add(error);
        });
        LibuvLoop libuv = (LibuvLoop) loop;
        long stray = libuv.mem.allocate("test: stray uv_timer_t", probe().layout().timerSize());
        assertEquals(0, libuv.uv.uv_timer_init(libuv.uvLoop, stray)); // a handle the loop does not know
        loop.destroy();
        assertEquals(1, errors.size(), errors.toString());
        LoopException e = (LoopException) errors.get(0);
        assertEquals(16, e.errno(), "EBUSY");
        assertTrue(e.getMessage().startsWith("uv_loop_close failed: EBUSY"), e.getMessage());
        assertTrue(e.getMessage().contains("leaked, not freed"), e.getMessage());
        assertEquals("destroying the libuv loop", contexts.get(0));
        // The loop and the stray handle stay allocated: freeing them under libuv could corrupt memory.
    }
}

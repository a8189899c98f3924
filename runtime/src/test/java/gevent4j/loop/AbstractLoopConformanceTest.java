package gevent4j.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.FileDescriptor;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link Loop} must keep: jdk, libev and libuv alike. A backend subclasses this
 * (STYLE rule 15) and supplies {@link #newLoop()}.
 *
 * <p>Rules the tests follow: a loop belongs to the thread that created it, so every loop here is
 * created and driven on the JUnit thread, and other threads only call {@link AsyncWatcher#send()}
 * and {@link Loop#runCallbackThreadsafe(Runnable)}. Tests assert behaviour, never speed: the only
 * times are hang guards ({@link #HANG_GUARD_NANOS}) that turn a missed wakeup into a failure
 * instead of a hung build. Descriptors come from {@link Pipe}s and loopback socket pairs; their
 * numbers are read through {@code sun.nio.ch}, which the surefire {@code argLine} opens.
 */
public abstract class AbstractLoopConformanceTest {

    /** How long a run that should return promptly may block before the test calls it hung. */
    protected static final long HANG_GUARD_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long ONE_HOUR = TimeUnit.HOURS.toNanos(1);
    private static final long ONE_MS = TimeUnit.MILLISECONDS.toNanos(1);

    private static final Method GET_FD_VAL;
    private static final Method FD_VAL;

    static {
        try {
            Method m = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
            m.setAccessible(true);
            GET_FD_VAL = m;
            Method f = Class.forName("sun.nio.ch.IOUtil").getDeclaredMethod("fdVal", FileDescriptor.class);
            f.setAccessible(true);
            FD_VAL = f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError("conformance tests need --add-opens java.base/sun.nio.ch=ALL-UNNAMED: " + e);
        }
    }

    /** Creates a loop owned by the calling thread. */
    protected abstract Loop newLoop();

    protected Loop loop;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private TimerWatcher guard;
    private boolean guardFired;

    @BeforeEach
    void createLoop() {
        loop = newLoop();
    }

    @AfterEach
    void destroyLoop() throws Exception {
        try {
            loop.destroy();
        } finally {
            for (int i = resources.size() - 1; i >= 0; i--) {
                resources.get(i).close();
            }
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    protected static int fdOf(Channel channel) {
        try {
            return (int) GET_FD_VAL.invoke(channel);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    protected static int fdOf(FileDescriptor fd) {
        try {
            return (int) FD_VAL.invoke(null, fd);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** A non-blocking pipe with its raw descriptors. */
    protected static final class TestPipe implements AutoCloseable {
        final Pipe pipe;
        final int readFd;
        final int writeFd;
        private final ByteBuffer one = ByteBuffer.allocateDirect(1);
        private final ByteBuffer scratch = ByteBuffer.allocateDirect(4096);

        TestPipe() throws IOException {
            pipe = Pipe.open();
            pipe.source().configureBlocking(false);
            pipe.sink().configureBlocking(false);
            readFd = fdOf(pipe.source());
            writeFd = fdOf(pipe.sink());
        }

        /** Writes one byte; allocation-free. */
        void writeByte() throws IOException {
            one.clear();
            if (pipe.sink().write(one) != 1) {
                throw new AssertionError("pipe full");
            }
        }

        /** Reads one byte; allocation-free. Returns the count read (0 or 1). */
        int readByte() throws IOException {
            one.clear();
            return pipe.source().read(one);
        }

        /** Reads everything available. */
        int drain() throws IOException {
            int total = 0;
            int n;
            while ((n = pipe.source().read(scratch.clear())) > 0) {
                total += n;
            }
            return total;
        }

        @Override
        public void close() throws IOException {
            pipe.source().close();
            pipe.sink().close();
        }
    }

    protected final TestPipe pipe() throws IOException {
        TestPipe p = new TestPipe();
        resources.add(p);
        return p;
    }

    /** Two connected non-blocking loopback sockets. */
    protected final SocketChannel[] socketPair() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel a = SocketChannel.open(server.getLocalAddress());
            resources.add(a);
            SocketChannel b = server.accept();
            resources.add(b);
            a.configureBlocking(false);
            b.configureBlocking(false);
            return new SocketChannel[] {a, b};
        }
    }

    /**
     * One {@link RunMode#ONCE} iteration behind an unreferenced hang-guard timer: when nothing
     * wakes the loop for {@link #HANG_GUARD_NANOS} the guard does, and the test fails.
     */
    protected final void runOnceGuarded() {
        if (guard == null) {
            guard = loop.timer(w -> guardFired = true);
            guard.unref();
        }
        guard.start(HANG_GUARD_NANOS, 0);
        loop.run(RunMode.ONCE);
        guard.stop();
        if (guardFired) {
            fail("run(ONCE) blocked for 10 s: the loop missed an event or a wakeup");
        }
    }

    /** Runs ONCE iterations until the condition holds (each one hang-guarded). */
    protected final void runUntil(BooleanSupplier condition) {
        long deadline = System.nanoTime() + 3 * HANG_GUARD_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("condition not reached within 30 s");
            }
            runOnceGuarded();
        }
    }

    /**
     * {@link RunMode#DEFAULT} with a hang guard: should it still run after 10 s, an unreferenced
     * timer stops the given watchers so that it returns, and the test fails.
     */
    protected final boolean runDefaultGuarded(Watcher... keepingAlive) {
        AtomicBoolean hung = new AtomicBoolean();
        TimerWatcher g = loop.timer(w -> {
            hung.set(true);
            for (Watcher k : keepingAlive) {
                k.stop();
            }
        });
        g.unref();
        g.start(HANG_GUARD_NANOS, 0);
        boolean alive = loop.run(RunMode.DEFAULT);
        g.close();
        assertFalse(hung.get(), "run(DEFAULT) did not return within 10 s");
        return alive;
    }

    /** Records every call of an io watcher. */
    protected static final class IoRecorder implements IoCallback {
        final List<Integer> revents = new ArrayList<>();
        Runnable onCall;

        @Override
        public void onIo(IoWatcher watcher, int events) {
            revents.add(events);
            if (onCall != null) {
                onCall.run();
            }
        }

        int calls() {
            return revents.size();
        }

        int last() {
            return revents.get(revents.size() - 1);
        }
    }

    // ---- io -----------------------------------------------------------------------------------

    @Test
    void readIsLevelTriggeredUntilDrained() throws IOException {
        TestPipe p = pipe();
        IoRecorder rec = new IoRecorder();
        IoWatcher w = loop.io(p.readFd, Loop.READ, rec);
        assertEquals(0, w.start());
        assertTrue(w.isActive());
        assertEquals(p.readFd, w.fd());
        assertEquals(Loop.READ, w.events());

        loop.run(RunMode.NOWAIT);
        assertEquals(0, rec.calls(), "nothing to read yet");

        p.writeByte();
        p.writeByte();
        for (int i = 1; i <= 5; i++) {
            runOnceGuarded();
            assertEquals(i, rec.calls(), "a readable descriptor fires on every iteration");
            assertEquals(Loop.READ, rec.last());
        }
        assertEquals(1, p.readByte());
        runOnceGuarded();
        assertEquals(6, rec.calls(), "one byte left: still readable");

        assertEquals(1, p.drain());
        for (int i = 0; i < 5; i++) {
            loop.run(RunMode.NOWAIT);
        }
        assertEquals(6, rec.calls(), "drained: no more events");
        assertTrue(w.isActive());
    }

    @Test
    void writeFiresOnAWritableSocket() throws IOException {
        SocketChannel[] pair = socketPair();
        IoRecorder rec = new IoRecorder();
        IoWatcher w = loop.io(fdOf(pair[0]), Loop.WRITE, rec);
        assertEquals(0, w.start());
        runOnceGuarded();
        runOnceGuarded();
        assertEquals(List.of(Loop.WRITE, Loop.WRITE), rec.revents, "WRITE only, on every iteration");
    }

    @Test
    void stopStopsEvents() throws IOException {
        TestPipe p = pipe();
        p.writeByte();
        IoRecorder rec = new IoRecorder();
        IoWatcher w = loop.io(p.readFd, Loop.READ, rec);
        w.start();
        w.stop();
        assertFalse(w.isActive());
        for (int i = 0; i < 3; i++) {
            assertFalse(loop.run(RunMode.NOWAIT), "a stopped watcher keeps nothing alive");
        }
        assertEquals(0, rec.calls());

        rec.onCall = w::stop; // stopping from its own callback
        w.start();
        runOnceGuarded();
        loop.run(RunMode.NOWAIT);
        loop.run(RunMode.NOWAIT);
        assertEquals(1, rec.calls());
        assertFalse(w.isActive());
        w.stop(); // idempotent
        w.close();
        w.close();
        assertFalse(w.isActive());
    }

    @Test
    void setRetargetsAnInactiveWatcher() throws IOException {
        TestPipe idle = pipe();
        TestPipe busy = pipe();
        busy.writeByte();
        IoRecorder rec = new IoRecorder();
        IoWatcher w = loop.io(idle.readFd, Loop.READ, rec);
        w.start();
        loop.run(RunMode.NOWAIT);
        assertEquals(0, rec.calls());
        w.stop();

        w.set(busy.readFd, Loop.READ);
        assertEquals(busy.readFd, w.fd());
        assertEquals(0, w.start());
        runOnceGuarded();
        assertEquals(List.of(Loop.READ), rec.revents);

        w.stop();
        w.set(busy.writeFd, Loop.WRITE);
        assertEquals(Loop.WRITE, w.events());
        w.start();
        runOnceGuarded();
        assertEquals(List.of(Loop.READ, Loop.WRITE), rec.revents);
    }

    @Test
    void startOnARegularFileFailsWithEpermAndLeavesTheWatcherInactive(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("regular");
        Files.writeString(file, "data");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            IoRecorder rec = new IoRecorder();
            IoWatcher w = loop.io(fdOf(raf.getFD()), Loop.READ, rec);
            int err = w.start();
            assertTrue(err < 0, "start() on a regular file returns a negative errno, got " + err);
            if (System.getProperty("os.name", "").startsWith("Linux")) {
                assertEquals(-1, err, "-EPERM");
            }
            assertFalse(w.isActive());
            assertFalse(loop.run(RunMode.NOWAIT), "a failed start keeps nothing alive");
            assertEquals(0, rec.calls());

            // The watcher is still usable.
            TestPipe p = pipe();
            p.writeByte();
            w.set(p.readFd, Loop.READ);
            assertEquals(0, w.start());
            runOnceGuarded();
            assertEquals(List.of(Loop.READ), rec.revents);
        }
    }

    @Test
    void manyWatchersPerDescriptorEachGetExactlyTheirEvents() throws IOException {
        SocketChannel[] pair = socketPair();
        int fd = fdOf(pair[0]);
        IoRecorder readOnly = new IoRecorder();
        IoRecorder writeOnly = new IoRecorder();
        IoRecorder both = new IoRecorder();
        IoRecorder read2 = new IoRecorder();
        IoWatcher r = loop.io(fd, Loop.READ, readOnly);
        IoWatcher w = loop.io(fd, Loop.WRITE, writeOnly);
        IoWatcher rw = loop.io(fd, Loop.READ | Loop.WRITE, both);
        IoWatcher r2 = loop.io(fd, Loop.READ, read2);
        for (IoWatcher x : List.of(r, w, rw, r2)) {
            assertEquals(0, x.start());
        }

        // Writable, not readable.
        runOnceGuarded();
        assertEquals(List.of(), readOnly.revents);
        assertEquals(List.of(Loop.WRITE), writeOnly.revents);
        assertEquals(List.of(Loop.WRITE), both.revents);
        assertEquals(List.of(), read2.revents);

        // Readable and writable.
        pair[1].write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        runUntil(() -> readOnly.calls() == 1);
        int before = writeOnly.calls();
        assertEquals(List.of(Loop.READ), readOnly.revents);
        assertEquals(Loop.WRITE, writeOnly.last());
        assertEquals(Loop.READ | Loop.WRITE, both.last());
        assertEquals(List.of(Loop.READ), read2.revents);

        // Stopping one READ watcher does not affect the other one, nor the rest.
        r.stop();
        runOnceGuarded();
        assertEquals(1, readOnly.calls());
        assertEquals(List.of(Loop.READ, Loop.READ), read2.revents);
        assertEquals(before + 1, writeOnly.calls());
        assertEquals(Loop.READ | Loop.WRITE, both.last());

        // Stopping the WRITE-only watcher leaves READ|WRITE getting WRITE.
        w.stop();
        runOnceGuarded();
        assertEquals(before + 1, writeOnly.calls());
        assertEquals(Loop.READ | Loop.WRITE, both.last());
        assertEquals(3, read2.calls());

        // Drained: READ watchers go quiet, READ|WRITE gets WRITE only.
        pair[0].read(ByteBuffer.allocate(16));
        runOnceGuarded();
        assertEquals(3, read2.calls());
        assertEquals(Loop.WRITE, both.last());
        assertEquals(1, readOnly.calls());

        // Stopping the last watcher that wanted WRITE: nothing fires any more.
        rw.stop();
        int bothCalls = both.calls();
        loop.run(RunMode.NOWAIT);
        loop.run(RunMode.NOWAIT);
        assertEquals(bothCalls, both.calls());
        assertEquals(3, read2.calls());
        assertTrue(r2.isActive());
    }

    @Test
    void watchersRestartedOrStoppedDuringDispatchAreCalledAtMostOncePerIteration() throws IOException {
        TestPipe p = pipe();
        p.writeByte();
        int n = 5;
        IoRecorder[] recs = new IoRecorder[n];
        IoWatcher[] ws = new IoWatcher[n];
        for (int i = 0; i < n; i++) {
            recs[i] = new IoRecorder();
            ws[i] = loop.io(p.readFd, Loop.READ, recs[i]);
        }
        for (int i = 0; i < n; i++) {
            IoWatcher self = ws[i];
            recs[i].onCall = () -> {
                self.stop(); // restart within the same iteration
                assertEquals(0, self.start());
            };
        }
        for (IoWatcher w : ws) {
            w.start();
        }
        for (int iteration = 1; iteration <= 4; iteration++) {
            runOnceGuarded();
            for (int i = 0; i < n; i++) {
                assertEquals(iteration, recs[i].calls(), "watcher " + i + " in iteration " + iteration);
                assertTrue(ws[i].isActive());
            }
        }

        // A callback that stops a watcher not yet called this iteration: that one is not called.
        IoRecorder first = new IoRecorder();
        IoRecorder second = new IoRecorder();
        IoWatcher[] pair = new IoWatcher[2];
        first.onCall = () -> pair[1].stop();
        second.onCall = () -> pair[0].stop();
        for (IoWatcher w : ws) {
            w.stop();
        }
        pair[0] = loop.io(p.readFd, Loop.READ, first);
        pair[1] = loop.io(p.readFd, Loop.READ, second);
        pair[0].start();
        pair[1].start();
        runOnceGuarded();
        assertEquals(1, first.calls() + second.calls(), "whichever ran first stopped the other");
        assertFalse(pair[0].isActive() && pair[1].isActive());
    }

    // ---- descriptor close and reuse -----------------------------------------------------------

    @Test
    void fdClosingCallsEveryWatcherOnceWithClosedAndStopsIt() throws IOException {
        TestPipe p = pipe();
        IoRecorder a = new IoRecorder();
        IoRecorder b = new IoRecorder();
        IoRecorder other = new IoRecorder();
        IoWatcher wa = loop.io(p.readFd, Loop.READ, a);
        IoWatcher wb = loop.io(p.readFd, Loop.READ | Loop.WRITE, b);
        IoWatcher wo = loop.io(p.writeFd, Loop.WRITE, other);
        wa.start();
        wb.start();
        wo.start();
        runOnceGuarded();
        assertEquals(0, a.calls());

        loop.fdClosing(p.readFd);
        assertFalse(wa.isActive(), "stopped by fdClosing");
        assertFalse(wb.isActive());
        loop.run(RunMode.NOWAIT);
        int closed = Loop.CLOSED | Loop.READ | Loop.WRITE;
        assertEquals(List.of(closed), a.revents);
        assertEquals(List.of(closed), b.revents);
        assertTrue(wo.isActive(), "a watcher of another descriptor is untouched");
        assertTrue(other.calls() >= 2);
        assertTrue(other.revents.stream().allMatch(e -> e == Loop.WRITE));

        loop.fdClosing(p.readFd); // nothing left to tell
        loop.run(RunMode.NOWAIT);
        assertEquals(1, a.calls());
        assertEquals(1, b.calls());
    }

    @Test
    void fdClosingFromADispatchedCallbackTellsTheRestOnce() throws IOException {
        TestPipe p = pipe();
        p.writeByte();
        List<IoRecorder> recs = new ArrayList<>();
        List<IoWatcher> ws = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            IoRecorder rec = new IoRecorder();
            rec.onCall = () -> {
                if ((rec.last() & Loop.CLOSED) == 0) {
                    loop.fdClosing(p.readFd);
                }
            };
            recs.add(rec);
            IoWatcher w = loop.io(p.readFd, Loop.READ, rec);
            w.start();
            ws.add(w);
        }
        runOnceGuarded();
        loop.run(RunMode.NOWAIT);
        int readCalls = 0;
        for (int i = 0; i < recs.size(); i++) {
            List<Integer> got = recs.get(i).revents;
            assertFalse(ws.get(i).isActive());
            long closedCount = got.stream().filter(e -> (e & Loop.CLOSED) != 0).count();
            assertEquals(1, closedCount, "watcher " + i + " got " + got);
            assertTrue((got.get(got.size() - 1) & Loop.CLOSED) != 0, "nothing after CLOSED: " + got);
            readCalls += got.size() - 1;
        }
        assertEquals(1, readCalls, "only the first watcher saw READ before the close");
    }

    @Test
    void closedDescriptorNumbersAreReusedWithoutLosingEvents() throws IOException {
        // gevent reuses watcher objects: every other round retargets this one instead of a new one.
        IoRecorder reusedRec = new IoRecorder();
        IoWatcher reused = loop.io(0, Loop.READ, reusedRec);
        for (int i = 0; i < 200; i++) {
            try (TestPipe p = new TestPipe()) {
                IoRecorder rec;
                IoWatcher w;
                if (i % 2 == 0) {
                    rec = new IoRecorder();
                    w = loop.io(p.readFd, Loop.READ, rec);
                } else {
                    rec = reusedRec;
                    rec.revents.clear();
                    w = reused;
                    w.set(p.readFd, Loop.READ);
                }
                IoWatcher writer = loop.io(p.writeFd, Loop.WRITE, new IoRecorder());
                assertEquals(0, w.start(), "round " + i);
                assertEquals(0, writer.start(), "round " + i);
                p.writeByte();
                runOnceGuarded();
                assertEquals(List.of(Loop.READ), rec.revents, "round " + i + ", fd " + p.readFd);
                loop.fdClosing(p.readFd);
                loop.fdClosing(p.writeFd);
                assertFalse(w.isActive());
                assertFalse(writer.isActive());
                assertEquals(List.of(Loop.READ, Loop.CLOSED | Loop.READ | Loop.WRITE), rec.revents);
            }
        }
        assertFalse(loop.run(RunMode.NOWAIT), "nothing left alive");
    }

    @Test
    void descriptorsClosedOnAnotherThreadCanBeReused() throws Exception {
        for (int i = 0; i < 100; i++) {
            TestPipe p = new TestPipe();
            IoRecorder stale = new IoRecorder();
            IoWatcher w = loop.io(p.readFd, Loop.READ, stale);
            assertEquals(0, w.start());
            loop.run(RunMode.NOWAIT); // the registration reaches the kernel
            int oldFd = p.readFd;

            Thread closer = new Thread(() -> {
                try {
                    p.close();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
                loop.fdClosedElsewhere(oldFd);
            });
            closer.start();
            closer.join();
            if (i % 2 == 0) {
                w.stop(); // the owner notices late; every other time it never stops the stale one
            }

            try (TestPipe q = new TestPipe()) {
                IoRecorder rec = new IoRecorder();
                IoWatcher nw = loop.io(q.readFd, Loop.READ, rec);
                assertEquals(0, nw.start());
                q.writeByte();
                runOnceGuarded();
                assertEquals(List.of(Loop.READ), rec.revents, "iteration " + i + ": new fd " + q.readFd
                    + " (old " + oldFd + ")");
                loop.fdClosing(q.readFd);
            }
            w.stop();
            w.close();
        }
    }

    // ---- timers -------------------------------------------------------------------------------

    @Test
    void oneShotTimerFiresOnce() {
        AtomicInteger fired = new AtomicInteger();
        TimerWatcher t = loop.timer(w -> fired.incrementAndGet());
        t.start(ONE_MS, 0);
        assertTrue(t.isActive());
        runUntil(() -> fired.get() > 0);
        assertEquals(1, fired.get());
        assertFalse(t.isActive(), "a fired one-shot timer is inactive");
        for (int i = 0; i < 3; i++) {
            assertFalse(loop.run(RunMode.NOWAIT));
        }
        assertEquals(1, fired.get());
        assertFalse(runDefaultGuarded(t));
    }

    /** A due timer is progress: run(ONCE) returns after running it, as libev and libuv do. */
    @Test
    void onceReturnsAfterRunningADueTimer() {
        AtomicInteger fired = new AtomicInteger();
        TimerWatcher t = loop.timer(w -> fired.incrementAndGet());
        for (int i = 1; i <= 3; i++) {
            t.start(0, 0);
            runOnceGuarded(); // with nothing else to wake it, a sleeping loop would hit the guard
            assertEquals(i, fired.get());
        }
    }

    @Test
    void timerDoesNotFireBeforeItsDueTimeInLoopTime() {
        long delay = TimeUnit.MILLISECONDS.toNanos(30);
        long[] firedAt = {0};
        TimerWatcher t = loop.timer(w -> firedAt[0] = loop.now());
        long started = loop.now();
        t.start(delay, 0);
        runUntil(() -> firedAt[0] != 0);
        // Slack of 1 ms for loops with millisecond clocks (libuv rounds to 1 ms).
        assertTrue(firedAt[0] - started >= delay - ONE_MS, "fired " + (firedAt[0] - started) + " ns after start");
    }

    @Test
    void repeatingTimerFiresRepeatedly() {
        AtomicInteger fired = new AtomicInteger();
        TimerWatcher t = loop.timer(w -> fired.incrementAndGet());
        t.start(ONE_MS, ONE_MS);
        runUntil(() -> fired.get() >= 5);
        assertTrue(t.isActive(), "a repeating timer stays active");
        t.stop();
        int n = fired.get();
        loop.run(RunMode.NOWAIT);
        assertFalse(loop.run(RunMode.NOWAIT));
        assertEquals(n, fired.get());

        // Stopping itself from the callback ends it.
        AtomicInteger selfStopped = new AtomicInteger();
        TimerWatcher s = loop.timer(w -> {
            if (selfStopped.incrementAndGet() == 3) {
                w.stop();
            }
        });
        s.start(0, ONE_MS);
        assertFalse(runDefaultGuarded(s));
        assertEquals(3, selfStopped.get());
    }

    @Test
    void stopPreventsFiring() {
        AtomicInteger fired = new AtomicInteger();
        TimerWatcher t = loop.timer(w -> fired.incrementAndGet());
        t.start(0, 0);
        t.stop();
        assertFalse(t.isActive());
        for (int i = 0; i < 3; i++) {
            loop.run(RunMode.NOWAIT);
        }
        assertEquals(0, fired.get());

        // Stopped by an earlier timer of the same pass.
        TimerWatcher victim = loop.timer(w -> fired.incrementAndGet());
        TimerWatcher killer = loop.timer(w -> victim.stop());
        killer.start(0, 0);
        victim.start(0, 0);
        assertFalse(runDefaultGuarded(killer, victim));
        assertEquals(0, fired.get());
    }

    @Test
    void restartMovesTheDueTime() {
        AtomicInteger fired = new AtomicInteger();
        TimerWatcher t = loop.timer(w -> fired.incrementAndGet());
        t.start(ONE_HOUR, 0);
        loop.run(RunMode.NOWAIT);
        t.start(0, 0); // earlier
        loop.run(RunMode.NOWAIT);
        assertEquals(1, fired.get());
        assertFalse(t.isActive());

        t.start(0, 0);
        t.start(ONE_HOUR, 0); // later
        for (int i = 0; i < 3; i++) {
            loop.run(RunMode.NOWAIT);
        }
        assertEquals(1, fired.get());
        assertTrue(t.isActive());
        t.stop();
    }

    @Test
    void stoppingTheTimerAWaitWasBoundedForNeitherLosesNorAdvancesTheNextOne() throws IOException {
        // The first blocking poll is bounded for `early`; the io callback, ready at once, stops it.
        // The loop's wake-up may stay armed for the stopped timer (cheaper than re-arming): the
        // next waits must still end exactly at `late`, neither early nor never.
        TestPipe p = pipe();
        long[] lateFiredAfter = {-1};
        TimerWatcher early = loop.timer(w -> fail("a stopped timer fired"));
        TimerWatcher late = loop.timer(w -> lateFiredAfter[0] = loop.now());
        IoWatcher reader = loop.io(p.readFd, Loop.READ, (w, e) -> {
            early.stop();
            w.stop();
        });
        long started = loop.now();
        early.start(TimeUnit.MILLISECONDS.toNanos(20), 0);
        late.start(TimeUnit.MILLISECONDS.toNanos(60), 0);
        reader.start();
        p.writeByte();
        runOnceGuarded();
        assertFalse(reader.isActive(), "the io callback ran in the first iteration");
        runUntil(() -> lateFiredAfter[0] >= 0);
        assertTrue(lateFiredAfter[0] - started >= TimeUnit.MILLISECONDS.toNanos(59),
            "fired " + (lateFiredAfter[0] - started) + " ns after start");
    }

    @Test
    void zeroAndNegativeDelaysFireOnTheNextIteration() {
        List<String> log = new ArrayList<>();
        TimerWatcher zero = loop.timer(w -> log.add("zero"));
        TimerWatcher negative = loop.timer(w -> log.add("negative"));
        zero.start(0, 0);
        negative.start(-TimeUnit.SECONDS.toNanos(1), 0);
        assertEquals(List.of(), log, "start never runs the callback itself");
        loop.run(RunMode.NOWAIT);
        assertEquals(2, log.size());
        assertTrue(log.containsAll(List.of("zero", "negative")));
        loop.run(RunMode.NOWAIT);
        assertEquals(2, log.size(), "one-shot");

        // Started by a timer callback: not in the same timer pass. Something else of the
        // iteration (a hook) must run in between.
        log.clear();
        HookWatcher prepare = loop.prepare(() -> log.add("prepare"));
        HookWatcher check = loop.check(() -> log.add("check"));
        prepare.start();
        check.start();
        TimerWatcher starter = loop.timer(w -> {
            log.add("starter");
            zero.start(0, 0);
            negative.start(-ONE_MS, 0);
        });
        starter.start(0, 0);
        for (int i = 0; i < 3; i++) {
            loop.run(RunMode.NOWAIT);
        }
        int s = log.indexOf("starter");
        int z = log.indexOf("zero");
        int n = log.indexOf("negative");
        assertTrue(s >= 0 && z > s && n > s, log.toString());
        assertTrue(log.subList(s, Math.min(z, n)).stream().anyMatch(e -> e.equals("prepare") || e.equals("check")),
            "a zero-delay timer started by a timer fired in the same pass: " + log);
    }

    @Test
    void timerRestartingItselfWithZeroDelayDoesNotSpin() {
        AtomicInteger fired = new AtomicInteger();
        TimerWatcher t = loop.timer(w -> {
            fired.incrementAndGet();
            w.start(0, 0);
        });
        t.start(0, 0);
        for (int i = 1; i <= 10; i++) {
            assertTrue(loop.run(RunMode.NOWAIT), "the restarted timer keeps the loop alive");
            // At most once per timer pass, and an iteration has at most two of those.
            assertTrue(fired.get() >= i && fired.get() <= 2 * i, "fired " + fired.get() + " times in " + i + " iterations");
        }
        t.stop();

        // Same with repeat: a zero-delay timer with a tiny repeat.
        AtomicInteger repeated = new AtomicInteger();
        TimerWatcher r = loop.timer(w -> repeated.incrementAndGet());
        r.start(0, 1);
        for (int i = 1; i <= 10; i++) {
            loop.run(RunMode.NOWAIT);
            assertTrue(repeated.get() <= 2 * i, "fired " + repeated.get() + " times in " + i + " iterations");
        }
        r.stop();
    }

    @Test
    void equalDueTimesFireInStartOrder() {
        List<Integer> order = new ArrayList<>();
        List<TimerWatcher> timers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            int id = i;
            timers.add(loop.timer(w -> order.add(id)));
        }
        // All started in one iteration: the loop's cached now() makes their due times equal.
        for (TimerWatcher t : timers) {
            t.start(0, 0);
        }
        loop.run(RunMode.NOWAIT);
        assertEquals(range(0, 20), order);

        order.clear();
        long delay = 5 * ONE_MS;
        for (TimerWatcher t : timers) {
            t.start(delay, 0);
        }
        // Restarting moves a timer behind those started before the restart.
        timers.get(0).start(delay, 0);
        timers.get(7).start(delay, 0);
        runUntil(() -> order.size() == 20);
        List<Integer> expected = range(1, 20);
        expected.remove(Integer.valueOf(7));
        expected.add(0);
        expected.add(7);
        assertEquals(expected, order);
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> r = new ArrayList<>();
        for (int i = from; i < to; i++) {
            r.add(i);
        }
        return r;
    }

    @Test
    void closedTimerCannotBeRestarted() {
        TimerWatcher t = loop.timer(w -> { });
        t.start(ONE_HOUR, 0);
        t.close();
        assertFalse(t.isActive());
        t.close();
        assertThrows(IllegalStateException.class, () -> t.start(0, 0));
    }

    // ---- async and thread-safe callbacks ------------------------------------------------------

    @Test
    void sendFromAnotherThreadWakesABlockedLoop() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AsyncWatcher a = loop.async(calls::incrementAndGet);
        a.start();
        AtomicBoolean rescued = new AtomicBoolean();
        AsyncWatcher rescue = loop.async(() -> { });
        rescue.start();
        rescue.unref();
        CountDownLatch done = new CountDownLatch(1);
        Thread guardThread = new Thread(() -> {
            try {
                if (!done.await(10, TimeUnit.SECONDS)) {
                    rescued.set(true);
                    rescue.send();
                }
            } catch (InterruptedException ignored) {
                // the test is over
            }
        }, "hang-guard");
        guardThread.start();
        Thread sender = new Thread(() -> {
            try {
                Thread.sleep(50); // usually lets the loop block first; the test holds either way
            } catch (InterruptedException ignored) {
                // send now
            }
            a.send();
        }, "sender");
        sender.start();
        try {
            while (calls.get() == 0 && !rescued.get()) {
                loop.run(RunMode.ONCE);
            }
        } finally {
            done.countDown();
            guardThread.join();
            sender.join();
        }
        assertFalse(rescued.get(), "send() from another thread did not wake run(ONCE) within 10 s");
        assertEquals(1, calls.get());
    }

    /**
     * The Hub sleeps in run(ONCE) with nothing but the loop's unreferenced thread-safe wakeup
     * active: ONCE must then wait for that wakeup rather than return at once and spin.
     */
    @Test
    void onceWaitsForAThreadsafeCallbackWithOnlyUnreferencedWatchersActive() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        Thread sender = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException ignored) {
                // send now
            }
            loop.runCallbackThreadsafe(() -> ran.set(true));
        }, "sender");
        sender.start();
        int returns = 0;
        try {
            while (!ran.get()) {
                runOnceGuarded();
                returns++;
            }
        } finally {
            sender.join();
        }
        // One return normally; a few more would be spurious (EINTR) wakeups, thousands a spin.
        assertTrue(returns <= 5, "run(ONCE) returned " + returns + " times while waiting: it does not block");
    }

    @Test
    void sendNeverLosesAWakeup() throws Exception {
        int rounds = 2000;
        AtomicInteger calls = new AtomicInteger();
        AsyncWatcher a = loop.async(calls::incrementAndGet);
        a.start();
        Semaphore go = new Semaphore(0);
        AtomicBoolean stop = new AtomicBoolean();
        Thread sender = new Thread(() -> {
            try {
                while (!stop.get()) {
                    if (go.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        a.send();
                    }
                }
            } catch (InterruptedException ignored) {
                // done
            }
        }, "sender");
        sender.start();
        try {
            for (int i = 1; i <= rounds; i++) {
                go.release();
                int target = i;
                runUntil(() -> calls.get() >= target);
            }
        } finally {
            stop.set(true);
            sender.join();
        }
        assertEquals(rounds, calls.get());
    }

    @Test
    void sendsCoalesceAndDoNotLinger() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AsyncWatcher a = loop.async(calls::incrementAndGet);
        a.start();
        a.send();
        a.send();
        Thread t = new Thread(a::send);
        t.start();
        t.join();
        runUntil(() -> calls.get() > 0);
        loop.run(RunMode.NOWAIT);
        int n = calls.get();
        assertTrue(n >= 1 && n <= 3, "three sends gave " + n + " callbacks");
        for (int i = 0; i < 3; i++) {
            loop.run(RunMode.NOWAIT);
        }
        assertEquals(n, calls.get(), "no callback without a new send()");

        a.stop();
        a.send();
        loop.run(RunMode.NOWAIT);
        loop.run(RunMode.NOWAIT);
        assertEquals(n, calls.get(), "a stopped async watcher is not called");
    }

    @Test
    void activeAsyncWatcherKeepsTheLoopAliveUnlessUnreferenced() {
        AsyncWatcher a = loop.async(() -> { });
        a.start();
        assertTrue(loop.run(RunMode.NOWAIT));
        a.unref();
        assertFalse(a.hasRef());
        assertFalse(loop.run(RunMode.NOWAIT));
        assertFalse(runDefaultGuarded(a));
    }

    @Test
    void threadsafeCallbacksFromManyThreadsAllRunInPerThreadOrder() throws Exception {
        int threads = 4;
        int perThread = 10_000;
        int[] next = new int[threads];
        AtomicInteger outOfOrder = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        Thread currentTest = Thread.currentThread();
        AtomicReference<Thread> wrongThread = new AtomicReference<>();
        List<Thread> producers = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            int id = t;
            producers.add(new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    int seq = i;
                    loop.runCallbackThreadsafe(() -> {
                        if (Thread.currentThread() != currentTest) {
                            wrongThread.set(Thread.currentThread());
                        }
                        if (next[id] != seq) {
                            outOfOrder.incrementAndGet();
                        }
                        next[id] = seq + 1;
                        ran.incrementAndGet();
                    });
                }
            }, "producer-" + t));
        }
        producers.forEach(Thread::start);
        start.countDown();
        try {
            runUntil(() -> ran.get() == threads * perThread);
        } finally {
            for (Thread p : producers) {
                p.join();
            }
        }
        loop.run(RunMode.NOWAIT);
        assertEquals(threads * perThread, ran.get());
        assertEquals(0, outOfOrder.get(), "per-thread FIFO order");
        assertNull(wrongThread.get(), "callbacks run on the loop's thread");
    }

    // ---- callbacks ----------------------------------------------------------------------------

    @Test
    void callbacksRunInFifoOrderAndThoseQueuedByCallbacksRunAfter() {
        List<String> log = new ArrayList<>();
        loop.runCallback(() -> {
            log.add("a");
            loop.runCallback(() -> log.add("a2"));
        });
        loop.runCallback(() -> log.add("b"));
        loop.runCallback(() -> log.add("c"));
        assertFalse(runDefaultGuarded());
        assertEquals(List.of("a", "b", "c", "a2"), log);
    }

    @Test
    void callbacksBeyondTheBudgetSpreadOverIterationsWithoutBlocking() {
        int total = 3 * AbstractLoop.CALLBACK_BUDGET + 10;
        int[] ran = {0};
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            int id = i;
            loop.runCallback(() -> {
                ran[0]++;
                order.add(id);
            });
        }
        int iterations = 0;
        while (ran[0] < total) {
            int before = ran[0];
            // ONCE must not block while callbacks are pending (there is nothing else to wake it).
            runOnceGuarded();
            iterations++;
            assertTrue(ran[0] > before, "an iteration ran no callback");
            assertTrue(ran[0] - before <= AbstractLoop.CALLBACK_BUDGET, "ran " + (ran[0] - before) + " in one iteration");
        }
        assertTrue(iterations >= 4, "spread over " + iterations + " iterations");
        assertEquals(range(0, total), order);
        assertFalse(loop.run(RunMode.NOWAIT));

        // A callback that always queues itself again does not trap run(NOWAIT).
        AtomicInteger spins = new AtomicInteger();
        Runnable[] self = new Runnable[1];
        self[0] = () -> {
            spins.incrementAndGet();
            loop.runCallback(self[0]);
        };
        loop.runCallback(self[0]);
        assertTrue(loop.run(RunMode.NOWAIT), "a pending callback keeps the loop alive");
        assertTrue(spins.get() >= 1 && spins.get() <= AbstractLoop.CALLBACK_BUDGET);
        runOnceGuarded();
    }

    // ---- hooks --------------------------------------------------------------------------------

    @Test
    void prepareRunsBeforePollAndCheckAfterEachOncePerIteration() throws IOException {
        List<String> log = new ArrayList<>();
        HookWatcher prepare = loop.prepare(() -> log.add("prepare"));
        HookWatcher check = loop.check(() -> log.add("check"));
        prepare.start();
        check.start();
        assertTrue(loop.run(RunMode.NOWAIT), "active hooks are referenced watchers");
        assertEquals(List.of("prepare", "check"), log);

        TestPipe p = pipe();
        p.writeByte();
        IoWatcher w = loop.io(p.readFd, Loop.READ, (x, e) -> log.add("io"));
        w.start();
        log.clear();
        runOnceGuarded();
        loop.run(RunMode.NOWAIT);
        assertEquals(List.of("prepare", "io", "check", "prepare", "io", "check"), log);

        log.clear();
        prepare.stop();
        loop.run(RunMode.NOWAIT);
        assertEquals(List.of("io", "check"), log);
        check.stop();
        w.stop();
        log.clear();
        assertFalse(loop.run(RunMode.NOWAIT));
        assertEquals(List.of(), log);
    }

    @Test
    void hookStoppingAnotherHookOfTheSamePhase() {
        List<String> log = new ArrayList<>();
        HookWatcher[] hooks = new HookWatcher[2];
        hooks[0] = loop.prepare(() -> {
            log.add("first");
            hooks[1].stop();
        });
        hooks[1] = loop.prepare(() -> log.add("second"));
        hooks[0].start();
        hooks[1].start();
        loop.run(RunMode.NOWAIT);
        loop.run(RunMode.NOWAIT);
        assertEquals(List.of("first", "first"), log);
    }

    // ---- ref / unref --------------------------------------------------------------------------

    @Test
    void defaultRunReturnsWhenNothingReferencedRemains() throws IOException {
        assertFalse(runDefaultGuarded(), "an empty loop returns at once");

        AtomicInteger fired = new AtomicInteger();
        TimerWatcher unrefd = loop.timer(w -> fired.incrementAndGet());
        unrefd.start(ONE_HOUR, 0);
        unrefd.unref();
        assertFalse(unrefd.hasRef());
        assertTrue(unrefd.isActive());
        assertFalse(runDefaultGuarded(unrefd), "an unreferenced timer does not keep the loop alive");
        assertTrue(unrefd.isActive());

        TestPipe p = pipe();
        IoWatcher idle = loop.io(p.readFd, Loop.READ, (w, e) -> { });
        idle.start();
        idle.unref();
        TimerWatcher short1 = loop.timer(w -> fired.incrementAndGet());
        short1.start(ONE_MS, 0);
        assertTrue(short1.hasRef());
        assertFalse(runDefaultGuarded(short1, idle), "returns once the referenced timer fired");
        assertEquals(1, fired.get());

        // ref() again makes it count.
        TimerWatcher t = loop.timer(w -> fired.incrementAndGet());
        t.unref();
        t.ref();
        t.start(ONE_MS, 0);
        assertFalse(runDefaultGuarded(t));
        assertEquals(2, fired.get());

        // A referenced io watcher that stops itself.
        p.writeByte();
        IoWatcher reader = loop.io(p.readFd, Loop.READ, (w, e) -> w.stop());
        reader.start();
        assertFalse(runDefaultGuarded(reader));
        assertFalse(reader.isActive());

        unrefd.stop();
        idle.stop();
    }

    @Test
    void pendingCallbacksKeepTheDefaultRunAlive() {
        AtomicInteger depth = new AtomicInteger();
        Runnable[] chain = new Runnable[1];
        chain[0] = () -> {
            if (depth.incrementAndGet() < 5) {
                loop.runCallback(chain[0]);
            }
        };
        loop.runCallback(chain[0]);
        assertFalse(runDefaultGuarded());
        assertEquals(5, depth.get());
    }

    // ---- errors -------------------------------------------------------------------------------

    @Test
    void failingCallbacksGoToTheErrorHandlerAndTheLoopKeepsRunning() throws IOException {
        List<String> contexts = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        loop.setErrorHandler((context, error) -> {
            contexts.add(context);
            errors.add(error);
        });
        List<String> log = new ArrayList<>();

        RuntimeException fromCallback = new RuntimeException("callback");
        loop.runCallback(() -> {
            throw fromCallback;
        });
        loop.runCallback(() -> log.add("after callback"));

        RuntimeException fromTimer = new RuntimeException("timer");
        AtomicInteger timerCalls = new AtomicInteger();
        TimerWatcher t = loop.timer(w -> {
            timerCalls.incrementAndGet();
            throw fromTimer;
        });
        t.start(0, ONE_MS);

        TestPipe p = pipe();
        p.writeByte();
        RuntimeException fromIo = new RuntimeException("io");
        IoWatcher io = loop.io(p.readFd, Loop.READ, (w, e) -> {
            throw fromIo;
        });
        IoWatcher io2 = loop.io(p.readFd, Loop.READ, (w, e) -> log.add("second io"));
        io.start();
        io2.start();

        RuntimeException fromHook = new RuntimeException("hook");
        HookWatcher check = loop.check(() -> {
            throw fromHook;
        });
        check.start();

        RuntimeException fromAsync = new RuntimeException("async");
        AsyncWatcher a = loop.async(() -> {
            throw fromAsync;
        });
        a.start();
        a.send();

        runOnceGuarded();
        runUntil(() -> timerCalls.get() >= 2 && errors.contains(fromAsync));
        assertTrue(log.contains("after callback"));
        assertTrue(log.contains("second io"));
        for (Throwable expected : List.of(fromCallback, fromTimer, fromIo, fromHook, fromAsync)) {
            assertTrue(errors.contains(expected), expected.getMessage() + " not reported: " + errors);
        }
        for (String context : contexts) {
            assertNotNull(context);
            assertFalse(context.isBlank());
        }
        assertTrue(t.isActive(), "a repeating timer whose callback throws keeps repeating");

        // A handler that throws itself does not break the loop either.
        loop.setErrorHandler((context, error) -> {
            throw new IllegalStateException("handler");
        });
        int before = timerCalls.get();
        runUntil(() -> timerCalls.get() > before + 1);
        io.stop();
        io2.stop();
        check.stop();
        t.stop();
        a.stop();
    }

    // ---- allocation (STYLE rule 8) ------------------------------------------------------------

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
            .getThreadAllocatedBytes(Thread.currentThread().threadId());
    }

    /** How many rounds an allocation test measures at most. */
    private static final int ALLOCATION_ROUNDS = 5;

    /**
     * The bytes this thread allocated in each round of {@code round}, until one stays under
     * {@code limit} (at most {@link #ALLOCATION_ROUNDS}). Most of a loop's short-lived objects are
     * removed by the JIT's escape analysis only once it has compiled the path, which on a busy
     * machine can come after any fixed warm-up: a single round measured before that blamed the loop
     * for the compiler's delay. What the loop allocates on every iteration shows in every round.
     */
    private static List<Long> allocationRounds(long limit, Runnable round) {
        List<Long> rounds = new ArrayList<>();
        while (rounds.size() < ALLOCATION_ROUNDS && (rounds.isEmpty() || rounds.get(rounds.size() - 1) >= limit)) {
            long before = allocatedBytes();
            round.run();
            rounds.add(allocatedBytes() - before);
        }
        return rounds;
    }

    private static boolean lastUnder(List<Long> rounds, long limit) {
        return rounds.get(rounds.size() - 1) < limit;
    }

    @Test
    void idleIterationsAllocateNothing() throws IOException {
        TestPipe p = pipe();
        IoWatcher w = loop.io(p.readFd, Loop.READ, (x, e) -> fail("no event expected"));
        w.start();
        for (int i = 0; i < 200_000; i++) {
            loop.run(RunMode.NOWAIT);
        }
        List<Long> rounds = allocationRounds(1 << 20, () -> {
            for (int i = 0; i < 1_000_000; i++) {
                loop.run(RunMode.NOWAIT);
            }
        });
        assertTrue(lastUnder(rounds, 1 << 20), "each round of 10^6 idle iterations allocated (bytes): " + rounds);
    }

    @Test
    void pingOverAPipeAllocatesAlmostNothing() throws IOException {
        TestPipe p = pipe();
        int[] received = {0};
        IoCallback reader = (w, e) -> {
            try {
                received[0] += p.readByte();
            } catch (IOException ex) {
                throw new AssertionError(ex);
            }
        };
        IoWatcher w = loop.io(p.readFd, Loop.READ, reader);
        w.start();
        for (int i = 0; i < 20_000; i++) {
            p.writeByte();
            runOnceGuarded();
        }
        List<Long> rounds = allocationRounds(4 << 20, () -> {
            for (int i = 0; i < 100_000; i++) {
                try {
                    p.writeByte();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
                runOnceGuarded();
            }
        });
        assertEquals(20_000 + 100_000 * rounds.size(), received[0]);
        assertTrue(lastUnder(rounds, 4 << 20), "each round of 10^5 pings allocated (bytes): " + rounds);
    }

    // ---- destroy ------------------------------------------------------------------------------

    @Test
    void destroyIsIdempotentAndTheLoopIsUnusableAfterwards() throws IOException {
        TestPipe p = pipe();
        IoWatcher io = loop.io(p.readFd, Loop.READ, (w, e) -> { });
        io.start();
        TimerWatcher timer = loop.timer(w -> { });
        timer.start(ONE_HOUR, 0);
        AsyncWatcher async = loop.async(() -> { });
        async.start();
        HookWatcher prepare = loop.prepare(() -> { });
        prepare.start();
        HookWatcher check = loop.check(() -> { });
        check.start();
        loop.run(RunMode.NOWAIT);

        loop.destroy();
        loop.destroy();

        for (Watcher w : List.of(io, timer, async, prepare, check)) {
            assertFalse(w.isActive(), "destroy() stops every watcher: " + w);
            w.stop(); // still allowed
            w.close();
        }
        for (RunMode mode : RunMode.values()) {
            assertThrows(IllegalStateException.class, () -> loop.run(mode), mode.name());
        }
        assertThrows(IllegalStateException.class, () -> loop.io(p.readFd, Loop.READ, (w, e) -> { }));
        assertThrows(IllegalStateException.class, () -> loop.timer(w -> { }));
        assertThrows(IllegalStateException.class, () -> loop.async(() -> { }));
        assertThrows(IllegalStateException.class, () -> loop.prepare(() -> { }));
        assertThrows(IllegalStateException.class, () -> loop.check(() -> { }));
        assertThrows(IllegalStateException.class, () -> loop.runCallback(() -> { }));
        assertThrows(IllegalStateException.class, () -> loop.runCallbackThreadsafe(() -> { }));
        assertThrows(IllegalStateException.class, async::send);
    }

    @Test
    void watchersCannotStartAfterDestroy() {
        IoWatcher io = loop.io(0, Loop.READ, (w, e) -> { });
        TimerWatcher timer = loop.timer(w -> { });
        HookWatcher prepare = loop.prepare(() -> { });
        AsyncWatcher async = loop.async(() -> { });
        loop.destroy();
        assertThrows(IllegalStateException.class, io::start);
        assertThrows(IllegalStateException.class, () -> timer.start(0, 0));
        assertThrows(IllegalStateException.class, prepare::start);
        assertThrows(IllegalStateException.class, async::start);
        assertFalse(io.isActive() || timer.isActive() || prepare.isActive() || async.isActive());
    }
}

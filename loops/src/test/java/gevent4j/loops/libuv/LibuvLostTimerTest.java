package gevent4j.loops.libuv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import gevent4j.loop.HookWatcher;
import gevent4j.loop.IoWatcher;
import gevent4j.loop.Loop;
import gevent4j.loop.RunMode;
import gevent4j.loop.TimerWatcher;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Timers are never lost, whatever libuv's driver timer does meanwhile. The driver only bounds how
 * long {@code uv_run} blocks; libuv re-arms it with its (35-year) repeat each time it fires, and when
 * it fired at the start of a {@code uv_run} (already due by libuv's clock: a stall between the loop's
 * clock read and {@code uv_run}, or a driver left armed from an earlier poll that io ended early),
 * the poll that followed blocked on that repeat instead: the Java timer it stood for was lost, and
 * with no io or wakeup the loop slept for good (ConcurrentApp's {@code Thread.sleep(1)}s, hung).
 *
 * <p>Stalls are made with prepare hooks, which run between the loop's clock read and its
 * {@code uv_run}, as preemption of a loaded machine does. Times here are hang guards only: a
 * watchdog thread wakes a {@code run} that blocked {@link #HANG_GUARD_NANOS} (far longer than any
 * timer of these tests) and the test fails; the loop's own timers cannot guard, being what is lost.
 */
class LibuvLostTimerTest {

    /** The binding under test: JNR ({@code libuv}) unless a subclass says FFM ({@code libuv-ffm}). */
    LibuvProviderBase provider() {
        return new LibuvLoopProvider();
    }


    private static final long HANG_GUARD_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private Loop loop;
    private Watchdog watchdog;
    private final List<Pipe> pipes = new ArrayList<>();

    @BeforeEach
    void create() {
        // The driver bounds the wait only where there is no timerfd: this is about the driver.
        loop = provider().createWithMillisecondTimers();
        watchdog = new Watchdog(loop);
    }

    @AfterEach
    void destroy() throws IOException {
        try {
            watchdog.close();
            loop.destroy();
        } finally {
            for (Pipe p : pipes) {
                p.source().close();
                p.sink().close();
            }
        }
    }

    /**
     * The deterministic case: the driver is armed for a timer, io ends that poll early, and the next
     * iteration stalls past the timer's due time after reading the clock. The driver, still armed for
     * the same timer, is due at the start of the next {@code uv_run}.
     */
    @Test
    void aDriverAlreadyDueWhenUvRunStartsDoesNotLoseItsTimer() throws IOException {
        Pipe p = pipe();
        write(p);
        IoWatcher reader = loop.io(fdOf(p.source()), Loop.READ, (w, revents) -> w.stop());
        assertEquals(0, reader.start());
        int[] fired = {0};
        TimerWatcher timer = loop.timer(w -> fired[0]++);
        long due = loop.now() + 300 * MS; // what start() computed: the loop time has not moved since
        timer.start(300 * MS, 0);

        // Blocks for the timer (the driver is armed for it); the readable pipe ends the poll at once.
        runGuarded(RunMode.ONCE);
        assertTrue(!reader.isActive(), "the pipe was readable");
        if (fired[0] != 0) {
            return; // this machine stalled 300 ms: the case was not set up, and there is nothing to check
        }

        // Reads the clock (the timer is not due), then stalls past the due time before uv_run.
        boolean[] stalled = {false};
        HookWatcher stall = loop.prepare(() -> {
            if (!stalled[0]) {
                stalled[0] = true;
                sleepUntil(due + 20 * MS);
            }
        });
        stall.start();
        runGuarded(RunMode.ONCE);
        stall.stop();
        while (fired[0] == 0) {
            runGuarded(RunMode.ONCE); // the timer fires in this pass or, were libuv's clock behind, the next
        }
        assertEquals(1, fired[0]);
    }

    /**
     * A model of random timers (started, restarted and stopped between runs and from callbacks), io
     * on pipes that ends polls early, stalls before and inside the poll, and ONCE, NOWAIT and pinned
     * runs: every started timer fires exactly once, not before its due time, unless stopped.
     */
    @Test
    void randomTimersIoAndStallsNeverLoseATimer() throws IOException {
        long seed = System.nanoTime();
        try {
            new Model(seed).run(4_000);
        } catch (AssertionError e) {
            throw new AssertionError("seed " + seed + ": " + e.getMessage() + "\n" + loop.debug(), e);
        }
    }

    private final class Model {
        private final SplittableRandom random;
        private final TimerWatcher[] timers = new TimerWatcher[24];
        /** Loop time each timer is due at, or -1 when stopped or fired. */
        private final long[] due = new long[timers.length];
        private final Pipe[] pipes = new Pipe[4];
        private final IoWatcher[] readers = new IoWatcher[pipes.length];
        private final ByteBuffer scratch = ByteBuffer.allocate(256);
        private long fires;
        private long starts;

        Model(long seed) throws IOException {
            random = new SplittableRandom(seed);
            for (int i = 0; i < timers.length; i++) {
                int index = i;
                due[i] = -1;
                timers[i] = loop.timer(w -> fired(index));
            }
            for (int i = 0; i < pipes.length; i++) {
                Pipe p = pipe();
                pipes[i] = p;
                readers[i] = loop.io(fdOf(p.source()), Loop.READ, (w, revents) -> {
                    drain(p);
                    maybeStall(8);
                    act();
                });
            }
            HookWatcher prepare = loop.prepare(() -> maybeStall(4));
            prepare.start();
            prepare.unref();
        }

        void run(int iterations) throws IOException {
            for (int i = 0; i < iterations; i++) {
                act();
                if (armed() == 0) {
                    start(random.nextInt(timers.length));
                }
                switch (random.nextInt(8)) {
                    case 0 -> runGuarded(RunMode.NOWAIT);
                    case 1 -> runPinnedGuarded(random.nextInt(3) * MS);
                    default -> runGuarded(RunMode.ONCE);
                }
                check();
            }
            for (IoWatcher r : readers) {
                r.stop();
            }
            while (armed() > 0) {
                runGuarded(RunMode.ONCE);
                check();
            }
            assertTrue(fires > 0 && fires <= starts, fires + " fires of " + starts + " starts");
        }

        /** A few random operations: timer starts and stops, bytes into pipes, readers on and off. */
        private void act() {
            int n = random.nextInt(4);
            for (int k = 0; k < n; k++) {
                int op = random.nextInt(10);
                if (op < 5) {
                    start(random.nextInt(timers.length));
                } else if (op < 7) {
                    int t = random.nextInt(timers.length);
                    timers[t].stop();
                    due[t] = -1;
                } else if (op < 9) {
                    int i = random.nextInt(pipes.length);
                    try {
                        write(pipes[i]);
                    } catch (IOException e) {
                        throw new AssertionError(e);
                    }
                    if (!readers[i].isActive()) {
                        assertEquals(0, readers[i].start());
                    }
                } else {
                    readers[random.nextInt(readers.length)].stop();
                }
            }
        }

        private void start(int t) {
            // Mostly 0..3 ms, as the Hub's Thread.sleep(1); sometimes a fraction of a millisecond.
            long delay = random.nextInt(4) == 0 ? random.nextLong(MS) : random.nextInt(4) * MS;
            timers[t].start(delay, 0);
            due[t] = loop.now() + delay;
            starts++;
        }

        private void fired(int t) {
            if (due[t] < 0) {
                throw new AssertionError("timer " + t + " fired while stopped, or twice");
            }
            if (loop.now() < due[t]) {
                throw new AssertionError("timer " + t + " fired " + (due[t] - loop.now()) + " ns early");
            }
            due[t] = -1;
            fires++;
            maybeStall(8);
            if (random.nextInt(3) == 0) {
                act();
            }
        }

        private void maybeStall(int oneIn) {
            if (random.nextInt(oneIn) == 0) {
                LockSupport.parkNanos(random.nextLong(3 * MS));
            }
        }

        private int armed() {
            int n = 0;
            for (long d : due) {
                n += d >= 0 ? 1 : 0;
            }
            return n;
        }

        /** A timer whose due time lies a hang guard back has been lost (the watchdog caught the run). */
        private void check() {
            for (int t = 0; t < timers.length; t++) {
                if (due[t] >= 0 && loop.now() - due[t] > HANG_GUARD_NANOS) {
                    fail("timer " + t + " is " + (loop.now() - due[t]) / MS + " ms overdue");
                }
                assertEquals(due[t] >= 0, timers[t].isActive(), "timer " + t);
            }
        }

        private void drain(Pipe p) {
            try {
                while (p.source().read(scratch.clear()) > 0) {
                    // discard
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** One run; fails when it blocked a hang guard long (the watchdog then woke it). */
    private void runGuarded(RunMode mode) {
        watchdog.enter();
        try {
            loop.run(mode);
        } finally {
            watchdog.exit();
        }
    }

    private void runPinnedGuarded(long maxWaitNanos) {
        watchdog.enter();
        try {
            loop.runPinned(maxWaitNanos);
        } finally {
            watchdog.exit();
        }
    }

    /**
     * A thread that wakes the loop (through its thread-safe queue) when a run blocked for a hang
     * guard, and has {@link #exit()} fail the test: the loop's own timers cannot guard against a lost
     * timer.
     */
    private static final class Watchdog implements AutoCloseable {
        private final Loop loop;
        private final Thread thread;
        private volatile long enteredAt;
        private volatile boolean inRun;
        private volatile boolean woke;
        private volatile boolean closed;

        Watchdog(Loop loop) {
            this.loop = loop;
            this.thread = new Thread(this::watch, "lost-timer-watchdog");
            thread.setDaemon(true);
            thread.start();
        }

        void enter() {
            enteredAt = System.nanoTime();
            inRun = true;
        }

        void exit() {
            inRun = false;
            if (woke) {
                fail("a run blocked for " + HANG_GUARD_NANOS / 1_000_000_000L
                    + " s until a watchdog woke it: a timer's wakeup was lost");
            }
        }

        private void watch() {
            while (!closed) {
                LockSupport.parkNanos(100 * MS);
                if (inRun && !woke && System.nanoTime() - enteredAt > HANG_GUARD_NANOS) {
                    woke = true;
                    loop.runCallbackThreadsafe(() -> { });
                }
            }
        }

        @Override
        public void close() {
            closed = true;
            LockSupport.unpark(thread);
        }
    }

    private Pipe pipe() throws IOException {
        Pipe p = Pipe.open();
        pipes.add(p);
        p.source().configureBlocking(false);
        p.sink().configureBlocking(false);
        return p;
    }

    private static void write(Pipe p) throws IOException {
        p.sink().write(ByteBuffer.wrap(new byte[] {1}));
    }

    private static void sleepUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    private static int fdOf(Channel channel) {
        try {
            Method m = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
            m.setAccessible(true);
            return (int) m.invoke(channel);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}

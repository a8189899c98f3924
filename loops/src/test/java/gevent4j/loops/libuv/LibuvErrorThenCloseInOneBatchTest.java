package gevent4j.loops.libuv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import gevent4j.loop.IoWatcher;
import gevent4j.loop.Loop;
import gevent4j.loop.LoopOptions;
import gevent4j.loop.RunMode;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two descriptors in error (POLLERR) in the same {@code epoll_wait} batch, the first callback closing
 * both: the second's event, still in the batch, must reach nobody, and the loop must go on serving
 * new descriptors, possibly on the same numbers. Written for the pooled {@code uv_poll_t} handles of
 * the placeholder design, where libuv stopped a handle on POLLERR and a handle unbound in the same
 * {@code uv_run} had to be re-armed before reuse (otherwise its next descriptor's events were dropped
 * and {@code uv__io_poll} spun on them); kept for the nested epoll set, whose batch is the loop's own.
 */
class LibuvErrorThenCloseInOneBatchTest {

    /** The binding under test: JNR ({@code libuv}) unless a subclass says FFM ({@code libuv-ffm}). */
    LibuvProviderBase provider() {
        return new LibuvLoopProvider();
    }


    private static final long HANG_GUARD_NANOS = TimeUnit.SECONDS.toNanos(10);

    private Loop loop;
    private final List<Pipe> pipes = new ArrayList<>();

    @BeforeEach
    void create() {
        loop = provider().create(LoopOptions.defaults());
    }

    @AfterEach
    void destroy() throws IOException {
        try {
            loop.destroy();
        } finally {
            for (Pipe p : pipes) {
                p.source().close();
                p.sink().close();
            }
        }
    }

    @Test
    void anErrorStillInTheBatchOfADescriptorClosedByAnEarlierCallbackReachesNobody() throws IOException {
        // Two write ends whose readers are closed: each reports POLLERR, in the same epoll batch.
        Pipe a = pipe();
        Pipe b = pipe();
        a.source().close();
        b.source().close();
        int fdA = fdOf(a.sink());
        int fdB = fdOf(b.sink());
        int[] calls = {0};
        IoWatcher[] w = new IoWatcher[2];
        // Whichever is called first closes the other, whose error is then still in the batch.
        w[0] = loop.io(fdA, Loop.WRITE, (x, revents) -> {
            if ((revents & Loop.CLOSED) != 0) {
                return; // the other one closed this descriptor
            }
            calls[0]++;
            x.stop();
            loop.fdClosing(fdB);
            loop.fdClosing(fdA);
        });
        w[1] = loop.io(fdB, Loop.WRITE, (x, revents) -> {
            if ((revents & Loop.CLOSED) != 0) {
                return;
            }
            calls[0]++;
            x.stop();
            loop.fdClosing(fdA);
            loop.fdClosing(fdB);
        });
        assertEquals(0, w[0].start());
        assertEquals(0, w[1].start());
        runGuarded(RunMode.ONCE);
        assertEquals(1, calls[0], "one error callback, which closed the other descriptor");
        assertTrue(!w[0].isActive() && !w[1].isActive());

        runGuarded(RunMode.NOWAIT); // its flush applies what the first run's closes left pending

        // New readable descriptors, which may get the closed numbers.
        Pipe c = pipe();
        Pipe d = pipe();
        c.sink().write(ByteBuffer.wrap(new byte[] {1}));
        d.sink().write(ByteBuffer.wrap(new byte[] {1}));
        boolean[] ready = {false, false};
        IoWatcher rc = loop.io(fdOf(c.source()), Loop.READ, (x, revents) -> {
            ready[0] = true;
            x.stop();
        });
        IoWatcher rd = loop.io(fdOf(d.source()), Loop.READ, (x, revents) -> {
            ready[1] = true;
            x.stop();
        });
        assertEquals(0, rc.start());
        assertEquals(0, rd.start());
        for (int i = 0; i < 3 && !(ready[0] && ready[1]); i++) {
            runGuarded(RunMode.ONCE);
        }
        assertTrue(ready[0] && ready[1], "readable pipes reported: " + ready[0] + ", " + ready[1] + "\n" + loop.debug());
    }

    /** One run; a thread wakes it (the loop's timers cannot) and the test fails if it blocked 10 s. */
    private void runGuarded(RunMode mode) {
        AtomicBoolean done = new AtomicBoolean();
        AtomicBoolean woke = new AtomicBoolean();
        Thread watchdog = Thread.ofPlatform().daemon().start(() -> {
            long deadline = System.nanoTime() + HANG_GUARD_NANOS;
            while (!done.get() && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            if (!done.get()) {
                woke.set(true);
                loop.runCallbackThreadsafe(() -> { });
            }
        });
        try {
            loop.run(mode);
        } finally {
            done.set(true);
            LockSupport.unpark(watchdog);
        }
        if (woke.get()) {
            fail("run(" + mode + ") blocked for 10 s until a watchdog woke it\n" + loop.debug());
        }
    }

    private Pipe pipe() throws IOException {
        Pipe p = Pipe.open();
        pipes.add(p);
        p.source().configureBlocking(false);
        p.sink().configureBlocking(false);
        return p;
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

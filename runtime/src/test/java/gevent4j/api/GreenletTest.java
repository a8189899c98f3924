package gevent4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Greenlet;
import gevent4j.GreenletExit;
import gevent4j.GreenletTree;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The greenlet API without the agent: greenlets on the JDK's own virtual-thread scheduler. */
class GreenletTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    @Test
    void getReturnsTheValueOrRethrowsTheSameException() throws Exception {
        assertEquals("v", Greenlet.spawn(() -> "v").get());
        IOException failure = new IOException("boom");
        Greenlet<Object> failing = Greenlet.spawn(() -> {
            throw failure;
        });
        failing.join();
        assertSame(failure, assertThrows(IOException.class, failing::get));
        assertTrue(failing.ready());
        assertFalse(failing.successful());
        assertSame(failure, failing.exception());
        assertNull(failing.value());
    }

    @Test
    void getWithTimeoutThrowsTimeoutExceptionWhileNotReady() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Greenlet<String> g = Greenlet.spawn(() -> {
            release.await();
            return "late";
        });
        assertThrows(TimeoutException.class, () -> g.get(Duration.ofMillis(20)));
        assertFalse(g.ready());
        release.countDown();
        assertEquals("late", g.get(LONG));
    }

    @Test
    void currentIsTheGreenletInsideItAndNullOutside() throws Exception {
        AtomicReference<Greenlet<?>> seen = new AtomicReference<>();
        Greenlet<Void> g = Greenlet.spawn(() -> seen.set(Greenlet.current()));
        g.get();
        assertSame(g, seen.get());
        assertNull(Greenlet.current(), "a platform thread is not a greenlet");
        assertNull(Greenlet.of(g.thread()), "a finished greenlet is no longer live");
    }

    @Test
    void linksRunInOrderAfterReadyAndLateLinksStillRun() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Greenlet<Integer> g = Greenlet.spawn(() -> {
            release.await();
            return 7;
        });
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        g.link(x -> calls.add("any ready=" + x.ready()));
        g.linkValue(x -> calls.add("value " + x.value()));
        g.linkException(x -> calls.add("exception"));
        release.countDown();
        g.join();
        awaitSize(calls, 2);
        assertEquals(List.of("any ready=true", "value 7"), calls);
        CountDownLatch late = new CountDownLatch(1);
        g.link(x -> late.countDown());
        assertTrue(late.await(30, java.util.concurrent.TimeUnit.SECONDS));
    }

    @Test
    void unlinkRemovesACallbackNotYetRun() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Greenlet<Void> g = Greenlet.spawn(() -> {
            release.await();
            return null;
        });
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        java.util.function.Consumer<Greenlet<Void>> callback = x -> calls.add("called");
        g.linkValue(callback);
        assertTrue(g.unlink(callback));
        release.countDown();
        g.join();
        g.link(x -> calls.add("other"));
        awaitSize(calls, 1);
        assertEquals(List.of("other"), calls);
    }

    @Test
    void killInterruptsABlockedGreenletAndCountsAsSuccess() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        Greenlet<Void> g = Greenlet.spawn(() -> {
            started.countDown();
            Thread.sleep(60_000);
            return null;
        });
        started.await();
        assertTrue(g.kill(LONG));
        assertTrue(g.killed());
        assertTrue(g.successful());
        assertNull(g.exception());
        assertNull(g.get());
    }

    @Test
    void aGreenletKilledBeforeItRunsNeverRunsItsBody() throws Exception {
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        Greenlet<?> g = Greenlet.spawnLater(Duration.ofSeconds(60), () -> ran.add("body"));
        assertTrue(g.kill(LONG));
        assertTrue(g.killed());
        assertEquals(List.of(), ran);
    }

    @Test
    void killFromItselfThrowsGreenletExit() throws Exception {
        Greenlet<String> g = Greenlet.spawn(() -> {
            Greenlet.current().kill();
            return "not reached";
        });
        g.join();
        assertTrue(g.killed());
        assertNull(g.value());
        GreenletExit exit = new GreenletExit();
        assertEquals("greenlet killed", exit.getMessage());
    }

    @Test
    void spawnLaterWaitsBeforeRunning() throws Exception {
        long start = System.nanoTime();
        assertEquals("done", Greenlet.spawnLater(Duration.ofMillis(50), () -> "done").get());
        assertTrue(System.nanoTime() - start >= 50_000_000L, "ran before its delay");
    }

    @Test
    void startTwiceIsRefused() {
        Greenlet<Void> g = new Greenlet<>(() -> { });
        g.start();
        assertThrows(IllegalStateException.class, g::start);
    }

    @Test
    void joinAllReturnsTheReadyOnesWhenTimeIsUp() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Greenlet<String> quick = Greenlet.spawn(() -> "q");
        Greenlet<String> stuck = Greenlet.spawn(() -> {
            never.await();
            return "s";
        });
        quick.join();
        List<Greenlet<?>> ready = Greenlet.joinAll(List.of(quick, stuck), Duration.ofMillis(30));
        assertEquals(List.of(quick), ready);
        never.countDown();
        assertEquals(2, Greenlet.joinAll(List.of(quick, stuck)).size());
    }

    @Test
    void theSpawnTreeIsRecorded() throws Exception {
        AtomicReference<Greenlet<?>> child = new AtomicReference<>();
        CountDownLatch hold = new CountDownLatch(1);
        Greenlet<Void> parent = Greenlet.spawn(() -> {
            Greenlet.current().spawnTreeLocals().put("request", "r-1");
            child.set(Greenlet.spawn(() -> {
                hold.await();
                return null;
            }));
            hold.await();
            return null;
        });
        while (child.get() == null) {
            Thread.sleep(1);
        }
        Greenlet<?> c = child.get();
        assertSame(parent.thread(), c.spawningThread());
        assertSame(parent, c.spawningGreenlet());
        assertSame(parent.spawnTreeLocals(), c.spawnTreeLocals(), "a tree shares one map");
        assertEquals("r-1", c.spawnTreeLocals().get("request"));
        assertSame(Thread.currentThread(), parent.spawningThread());
        StackTraceElement[] where = parent.spawningStack();
        assertEquals(GreenletTest.class.getName(), where[0].getClassName(), "first frame is the spawn call site");
        String tree = GreenletTree.format();
        assertTrue(tree.contains("Thread \"" + Thread.currentThread().getName() + "\""), tree);
        assertTrue(tree.contains("+--- " + parent), tree);
        assertTrue(tree.contains("request = 'r-1'"), tree);
        int parentAt = tree.indexOf(parent.toString());
        int childAt = tree.indexOf(c.toString());
        assertTrue(parentAt >= 0 && childAt > parentAt, tree);
        hold.countDown();
        parent.join();
        c.join();
    }

    @Test
    void safeFormatNeverThrowsAndIsBounded() {
        Object hostile = new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("no");
            }
        };
        assertTrue(GreenletTree.safeFormat(hostile).contains("toString() failed with java.lang.IllegalStateException"));
        assertEquals(GreenletTree.MAX_VALUE_LENGTH, GreenletTree.safeFormat("x".repeat(1000)).length());
        assertEquals("'abc'", GreenletTree.safeFormat("abc"));
    }

    static void awaitSize(List<?> list, int size) throws InterruptedException {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (list.size() < size && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }
}

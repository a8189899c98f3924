package gevent4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.Greenlet;
import gevent4j.Group;
import gevent4j.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GroupPoolTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    @Test
    void mapKeepsTheOrderOfItems() throws Exception {
        List<Integer> items = List.of(5, 1, 4, 2, 3);
        List<Integer> results = new Group().map(n -> {
            sleep(n * 3L);
            return n * 10;
        }, items);
        assertEquals(List.of(50, 10, 40, 20, 30), results);
    }

    @Test
    void mapRethrowsTheFirstFailure() {
        IllegalArgumentException bad = new IllegalArgumentException("bad item");
        Exception thrown = assertThrows(IllegalArgumentException.class, () -> new Group().map(n -> {
            if (n == 2) {
                throw bad;
            }
            return n;
        }, List.of(1, 2, 3)));
        assertSame(bad, thrown);
    }

    @Test
    void imapIsOrderedAndImapUnorderedGivesEveryResult() {
        List<Integer> ordered = new ArrayList<>();
        Iterator<Integer> it = new Pool(2).imap(n -> {
            sleep((5 - n) * 3L);
            return n;
        }, List.of(1, 2, 3, 4));
        it.forEachRemaining(ordered::add);
        assertEquals(List.of(1, 2, 3, 4), ordered);
        Set<Integer> unordered = new HashSet<>();
        new Group().imapUnordered(n -> n * 2, List.of(1, 2, 3)).forEachRemaining(unordered::add);
        assertEquals(Set.of(2, 4, 6), unordered);
        assertFalse(new Group().imap(n -> n, List.<Integer>of()).hasNext());
    }

    @Test
    void aPoolNeverRunsMoreThanItsSize() throws Exception {
        Pool pool = new Pool(3);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        for (int i = 0; i < 20; i++) {
            pool.spawn(() -> {
                int now = running.incrementAndGet();
                peak.accumulateAndGet(now, Math::max);
                sleep(2);
                running.decrementAndGet();
            });
            assertTrue(pool.size() <= 3);
        }
        pool.join();
        assertEquals(0, pool.size());
        assertEquals(3, pool.freeCount());
        assertTrue(peak.get() <= 3, "peak " + peak.get());
    }

    @Test
    void groupJoinAndKill() throws Exception {
        Group group = new Group();
        CountDownLatch started = new CountDownLatch(2);
        for (int i = 0; i < 2; i++) {
            group.spawn(() -> {
                started.countDown();
                Thread.sleep(60_000);
                return null;
            });
        }
        started.await();
        assertFalse(group.join(Duration.ofMillis(10)));
        assertEquals(2, group.size());
        List<Greenlet<?>> members = group.greenlets();
        assertTrue(group.kill(LONG));
        for (Greenlet<?> g : members) {
            assertTrue(g.killed());
        }
    }

    @Test
    void discardGivesBackRoomAndSizeMustBePositive() throws Exception {
        Pool pool = new Pool(1);
        CountDownLatch hold = new CountDownLatch(1);
        Greenlet<Void> g = pool.spawn(() -> {
            hold.await();
            return null;
        });
        assertTrue(pool.full());
        assertTrue(pool.discard(g));
        assertTrue(pool.waitAvailable(Duration.ofMillis(1)));
        hold.countDown();
        g.join();
        assertThrows(IllegalArgumentException.class, () -> new Pool(0));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

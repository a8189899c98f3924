package gevent4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.AsyncResult;
import gevent4j.Event;
import gevent4j.Greenlet;
import gevent4j.GreenletLocal;
import gevent4j.Timeout;
import gevent4j.events.Events;
import gevent4j.events.GreenletFinished;
import gevent4j.events.GreenletSpawned;
import gevent4j.events.RuntimeEvent;
import gevent4j.events.Subscriber;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

class TimeoutEventTest {

    @Test
    void timeoutCallCutsASleepShortAndLeavesNoInterrupt() throws Exception {
        Greenlet<Boolean> g = Greenlet.spawn(() -> {
            TimeoutException e = assertThrows(TimeoutException.class,
                () -> Timeout.call(Duration.ofMillis(20), () -> {
                    Thread.sleep(60_000);
                    return null;
                }));
            assertInstanceOf(InterruptedException.class, e.getCause());
            return Thread.currentThread().isInterrupted();
        });
        assertFalse(g.get(), "the timeout's interrupt leaked");
    }

    @Test
    void timeoutCutsAConditionWait() throws Exception {
        ReentrantLock lock = new ReentrantLock();
        Condition never = lock.newCondition();
        Greenlet<Void> g = Greenlet.spawn(() -> {
            assertThrows(TimeoutException.class, () -> Timeout.call(Duration.ofMillis(20), () -> {
                lock.lock();
                try {
                    never.await();
                } finally {
                    lock.unlock();
                }
                return null;
            }));
        });
        g.get();
    }

    @Test
    void anUnexpiredTimeoutChangesNothingAndNestedOnesReportOnlyTheirOwn() throws Exception {
        assertEquals("v", Timeout.call(Duration.ofSeconds(30), () -> "v"));
        Greenlet<Void> g = Greenlet.spawn(() -> {
            // The outer one expires; the inner one (longer) must rethrow, not claim it.
            TimeoutException outer = assertThrows(TimeoutException.class, () -> Timeout.call(Duration.ofMillis(20),
                () -> Timeout.call(Duration.ofSeconds(30), () -> {
                    Thread.sleep(60_000);
                    return null;
                })));
            assertInstanceOf(InterruptedException.class, outer.getCause());
        });
        g.get();
        try (Timeout never = Timeout.start(null)) {
            assertFalse(never.expired());
        }
    }

    @Test
    void eventSetWakesWaitersAndClearResets() throws Exception {
        Event event = new Event();
        assertFalse(event.await(Duration.ofMillis(5)));
        Greenlet<Boolean> waiter = Greenlet.spawn(() -> {
            event.await();
            return event.isSet();
        });
        event.set();
        assertTrue(waiter.get());
        event.clear();
        assertFalse(event.isSet());
    }

    @Test
    void asyncResultDeliversValueOrException() throws Exception {
        AsyncResult<String> result = new AsyncResult<>();
        Greenlet.spawn(() -> result.set("answer"));
        assertEquals("answer", result.get(Duration.ofSeconds(30)));
        IllegalStateException failure = new IllegalStateException("no");
        result.reset();
        assertThrows(TimeoutException.class, () -> result.get(Duration.ofMillis(5)));
        result.setException(failure);
        assertSame(failure, assertThrows(IllegalStateException.class, result::get));
        assertFalse(result.successful());
    }

    @Test
    void greenletLocalIsPerGreenlet() throws Exception {
        GreenletLocal<String> local = GreenletLocal.withInitial(() -> "initial");
        local.set("main");
        assertEquals("initial", Greenlet.spawn(local::get).get());
        assertEquals("main", local.get());
    }

    @Test
    void greenletEventsArePublishedOnlyWhileWanted() throws Exception {
        List<RuntimeEvent> seen = Collections.synchronizedList(new ArrayList<>());
        Subscriber plain = seen::add;
        Events.subscribe(plain);
        try {
            Greenlet.spawn(() -> { }).join();
            assertEquals(List.of(), seen, "no greenlet events without a subscriber asking");
            assertFalse(Events.greenletEventsWanted());
            Subscriber wanting = new Subscriber() {
                @Override
                public void onEvent(RuntimeEvent event) {
                }

                @Override
                public boolean wantsGreenletEvents() {
                    return true;
                }
            };
            Events.subscribe(wanting);
            Greenlet<Void> g = Greenlet.spawn(() -> { });
            g.join();
            GreenletTest.awaitSize(seen, 2);
            assertEquals(List.of(new GreenletSpawned(g), new GreenletFinished(g)), seen);
            Events.unsubscribe(wanting);
            assertFalse(Events.greenletEventsWanted());
        } finally {
            Events.unsubscribe(plain);
        }
    }

    @Test
    void aFailingSubscriberDoesNotStopOthers() {
        List<RuntimeEvent> seen = new ArrayList<>();
        Subscriber failing = e -> {
            throw new IllegalStateException("subscriber bug");
        };
        Subscriber good = seen::add;
        Events.subscribe(failing);
        Events.subscribe(good);
        try {
            RuntimeEvent e = new gevent4j.events.HubStarted(Thread.currentThread(), "test");
            Events.publish(e);
            assertEquals(List.of(e), seen);
        } finally {
            Events.unsubscribe(failing);
            Events.unsubscribe(good);
        }
    }
}

package gevent4j.examples.api;

import gevent4j.Greenlet;
import gevent4j.GreenletTree;
import gevent4j.Monitor;
import gevent4j.events.EventLoopBlocked;
import gevent4j.events.Events;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The monitor thread and events: a subscriber counts blocked-Hub events, a periodic function
 * samples the number of greenlets, one greenlet blocks the Hub on purpose (a CPU loop of 300 ms,
 * reported on stderr with its stack), and the greenlet tree is printed with its spawn-tree locals.
 * Needs the monitor: {@code monitor_thread=true}.
 *
 * <pre>bin/example MonitorExample monitor_thread=true</pre>
 */
public final class MonitorExample {

    static volatile long sink;

    public static void main(String[] args) throws Exception {
        if (!Monitor.running()) {
            System.out.println("start me with monitor_thread=true (GEVENT_MONITOR_THREAD_ENABLE=true)");
            return;
        }
        AtomicInteger blocked = new AtomicInteger();
        CountDownLatch reported = new CountDownLatch(1);
        Events.subscribe(event -> {
            if (event instanceof EventLoopBlocked b) {
                blocked.incrementAndGet();
                System.out.println("event: " + b.greenlet() + " blocked the Hub for " + b.blockedFor().toMillis() + " ms");
                reported.countDown();
            }
        });
        try (AutoCloseable sampler = Monitor.addPeriodicFunction(Duration.ofMillis(100),
                () -> System.out.println("periodic: " + Greenlet.all().size() + " greenlets running"))) {
            Greenlet<Void> hog = Greenlet.spawn(() -> {
                long end = System.nanoTime() + 300_000_000L;
                while (System.nanoTime() < end) {
                    sink++;                         // never yields: the Hub is stuck here
                }
            });
            hog.join();
        }
        // Events come from the monitor's own thread, and this one can arrive after the hog has
        // finished (the monitor first takes the blocked greenlet's stack): wait for it, bounded.
        reported.await(10, TimeUnit.SECONDS);

        CountDownLatch done = new CountDownLatch(1);
        Greenlet<Void> request = Greenlet.spawn(() -> {
            Greenlet.current().spawnTreeLocals().put("request-id", "req-7");
            Greenlet<Void> worker = Greenlet.spawn(() -> {
                done.await();
                return null;
            });
            worker.join();
            return null;
        });
        while (Greenlet.all().size() < 2) {
            Thread.sleep(1);
        }
        System.out.print(GreenletTree.format());
        done.countDown();
        request.join();
        System.out.println("blocked-Hub events: " + blocked.get());
    }
}

package gevent4j.events;

import gevent4j.bootstrap.Bridge;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The runtime's publish/subscribe point (gevent's {@code zope.event.subscribers}).
 *
 * <pre>{@code
 * Events.subscribe(event -> {
 *     if (event instanceof EventLoopBlocked blocked) {
 *         metrics.increment("hub.blocked", blocked.blockedFor().toMillis());
 *     }
 * });
 * }</pre>
 */
public final class Events {

    private static final CopyOnWriteArrayList<Subscriber> SUBSCRIBERS = new CopyOnWriteArrayList<>();
    /** Read on every greenlet start: kept apart from the list so that the check is one volatile read. */
    private static volatile boolean greenletEventsWanted;

    private Events() {
    }

    /** Adds {@code subscriber}; it gets every event published from now on. */
    public static void subscribe(Subscriber subscriber) {
        SUBSCRIBERS.add(Objects.requireNonNull(subscriber, "subscriber"));
        recompute();
    }

    /** Removes {@code subscriber}; returns whether it was subscribed. */
    public static boolean unsubscribe(Subscriber subscriber) {
        boolean removed = SUBSCRIBERS.remove(subscriber);
        recompute();
        return removed;
    }

    private static synchronized void recompute() {
        boolean wanted = false;
        for (Subscriber s : SUBSCRIBERS) {
            wanted |= wantsGreenletEvents(s);
        }
        greenletEventsWanted = wanted;
    }

    private static boolean wantsGreenletEvents(Subscriber s) {
        try {
            return s.wantsGreenletEvents();
        } catch (Throwable t) {
            Bridge.reportError("event subscriber " + s.getClass().getName() + ".wantsGreenletEvents()", t);
            return false;
        }
    }

    /** True while some subscriber wants greenlet events. */
    public static boolean greenletEventsWanted() {
        return greenletEventsWanted;
    }

    /** True when anyone is subscribed: publishers may skip building an event nobody will see. */
    public static boolean hasSubscribers() {
        return !SUBSCRIBERS.isEmpty();
    }

    /** Delivers {@code event} to every subscriber, in subscription order, on the calling thread. */
    public static void publish(RuntimeEvent event) {
        for (Subscriber s : SUBSCRIBERS) {
            try {
                s.onEvent(event);
            } catch (Throwable t) {
                Bridge.reportError("event subscriber " + s.getClass().getName() + " (for "
                    + event.getClass().getSimpleName() + ")", t);
            }
        }
    }
}

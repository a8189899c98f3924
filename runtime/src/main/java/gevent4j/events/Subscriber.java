package gevent4j.events;

/**
 * Receives the runtime's events. Register one in code with {@link Events#subscribe}, or list its
 * class (public, with a public no-argument constructor) in
 * {@code META-INF/services/gevent4j.events.Subscriber} on the application's class path: the agent
 * loads those when it starts, so they also see the start-up events.
 *
 * <p>Events are delivered synchronously on the thread that publishes them (the monitor thread,
 * the Hub's start-up thread, or the greenlet for greenlet events). A subscriber should return
 * quickly; an exception it throws is reported and does not reach the publisher or other subscribers.
 */
@FunctionalInterface
public interface Subscriber {

    void onEvent(RuntimeEvent event);

    /**
     * Whether this subscriber wants {@link GreenletSpawned} and {@link GreenletFinished}. They are
     * only published while at least one subscriber says yes.
     */
    default boolean wantsGreenletEvents() {
        return false;
    }
}

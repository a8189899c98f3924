package gevent4j.events;

import gevent4j.Greenlet;

/**
 * A greenlet starts running, published on the greenlet itself before its body. Only published
 * while a subscriber {@linkplain Subscriber#wantsGreenletEvents() asks for greenlet events}, so
 * that spawning costs nothing more otherwise.
 *
 * @param greenlet the greenlet
 */
public record GreenletSpawned(Greenlet<?> greenlet) implements RuntimeEvent {
}

package gevent4j.events;

import gevent4j.Greenlet;

/**
 * A greenlet finished (it is {@linkplain Greenlet#ready() ready} and its links have run),
 * published on the greenlet itself. Only published to greenlets whose {@link GreenletSpawned}
 * was, that is while a subscriber {@linkplain Subscriber#wantsGreenletEvents() asks for them}.
 *
 * @param greenlet the greenlet
 */
public record GreenletFinished(Greenlet<?> greenlet) implements RuntimeEvent {
}

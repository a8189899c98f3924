package gevent4j.events;

/**
 * Something the gevent4j runtime tells its {@linkplain Subscriber subscribers} (gevent's
 * {@code gevent.events}). Events are immutable records; switch over them with patterns.
 */
public sealed interface RuntimeEvent permits HubStarted, LoopChosen, MonitorThreadStarted, EventLoopBlocked,
        MemoryUsageThresholdExceeded, MemoryUsageUnderThreshold, GreenletSpawned, GreenletFinished {
}

package gevent4j.events;

/**
 * The monitor thread ({@code monitor_thread}) of a Hub started. Published during start-up.
 *
 * @param monitor the monitor's platform thread
 * @param hub the Hub's thread it watches
 */
public record MonitorThreadStarted(Thread monitor, Thread hub) implements RuntimeEvent {
}

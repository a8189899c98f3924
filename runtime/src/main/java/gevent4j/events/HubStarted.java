package gevent4j.events;

/**
 * The Hub runs: greenlets can be scheduled from now on. Published once, during the agent's
 * start-up, before the application's {@code main}: only subscribers registered through
 * {@code ServiceLoader} see it.
 *
 * @param hub the Hub's thread
 * @param loop the name of the loop it runs ({@code libev}, {@code libuv}, {@code jdk})
 */
public record HubStarted(Thread hub, String loop) implements RuntimeEvent {
}

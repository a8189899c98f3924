package gevent4j.loop;

/**
 * A loop implementation that the {@code loop} setting can name. Probing is done once: a provider
 * that is not available says why, so that the Hub can report it and fall back along the
 * preference list (Netty's {@code isAvailable}/{@code ensureAvailability}/{@code unavailabilityCause}).
 */
public interface LoopProvider {

    /** The short name used in the {@code loop} setting, e.g. {@code jdk}. */
    String name();

    boolean isAvailable();

    /** Why the loop cannot be used here, or null when it can. */
    Throwable unavailabilityCause();

    /** A one-line description for {@code info}: library, version, backend. */
    String describe();

    /** Creates a loop owned by the calling thread. */
    Loop create(LoopOptions options);

    default void ensureAvailability() {
        if (!isAvailable()) {
            throw new IllegalStateException("loop " + name() + " is not available: "
                + unavailabilityCause().getMessage(), unavailabilityCause());
        }
    }
}

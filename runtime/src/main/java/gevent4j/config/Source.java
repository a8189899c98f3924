package gevent4j.config;

/**
 * Where a setting's effective value came from, highest precedence first.
 *
 * <p>The declaration order is the precedence order: an agent argument beats a {@code -Dgevent.<name>}
 * system property, which beats an environment variable, which beats the declared default.
 */
public enum Source {
    AGENT_ARGUMENT("agent argument"),
    SYSTEM_PROPERTY("system property"),
    ENVIRONMENT("environment variable"),
    DEFAULT("default");

    private final String label;

    Source(String label) {
        this.label = label;
    }

    /** A short human label, e.g. {@code "system property"}, used in messages and in {@code info} output. */
    public String label() {
        return label;
    }
}

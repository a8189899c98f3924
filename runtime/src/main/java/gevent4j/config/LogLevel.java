package gevent4j.config;

import java.util.Locale;

/** The verbosity of gevent4j's own log output, from least to most verbose (value of {@code log_level}). */
public enum LogLevel {
    ERROR,
    WARN,
    INFO,
    DEBUG;

    /** The lower-case spelling used in settings, e.g. {@code "warn"}. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a message at {@code level} is printed when this is the configured level. */
    public boolean includes(LogLevel level) {
        return level.ordinal() <= ordinal();
    }
}

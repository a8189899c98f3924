package gevent4j.config;

import java.io.Serial;

/**
 * Thrown by a {@link Kind} when text does not parse; carries only the reason.
 *
 * <p>A kind does not know which setting or source the text came from, so {@link Config} catches this
 * and wraps the reason into a one-line {@link ConfigException} that names the setting, the value, the
 * source and what is accepted.
 */
final class InvalidValueException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    InvalidValueException(String reason) {
        // No stack trace: this is a validation result, not a bug, and it never escapes the package.
        super(reason, null, false, false);
    }

    String reason() {
        return getMessage();
    }
}

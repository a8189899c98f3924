package gevent4j.config;

import java.io.Serial;

/**
 * A configuration error: an invalid value, an unknown {@code gevent.*} property, malformed agent arguments
 * or conflicting settings.
 *
 * <p>{@link #getMessage()} is always a single line starting with {@code "gevent4j: "}, because the agent
 * prints it as its only output before refusing to start, and one line survives log collectors intact.
 * Invalid values read
 * {@code gevent4j: invalid value '<value>' for setting '<name>' (<source>): <reason>; accepted: <accepted>}.
 */
public final class ConfigException extends Exception {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String settingName;

    ConfigException(String settingName, String message) {
        super(oneLine(message));
        this.settingName = settingName;
    }

    static ConfigException invalidValue(Setting<?> setting, String raw, String origin, String reason) {
        return new ConfigException(setting.name(),
                "gevent4j: invalid value " + Text.quote(raw) + " for setting '" + setting.name() + "' ("
                        + origin + "): " + reason + "; accepted: " + setting.kind().accepted());
    }

    /**
     * A value that parsed but cannot be used on this machine (a loop whose native library is
     * missing, a libev backend this build lacks): start-up stops with this one line.
     */
    public static ConfigException unusable(Config config, Setting<?> setting, String reason) {
        String raw = config.rawValueOf(setting);
        return new ConfigException(setting.name(), "gevent4j: " + setting.name() + "=" + (raw == null ? "" : raw)
                + " (" + config.sourceOf(setting).label() + ") cannot be used here: " + oneLineOf(reason));
    }

    private static String oneLineOf(String text) {
        return text.replace("\r", " ").replace("\n", " ");
    }

    /** The name of the setting at fault, or {@code null} when the error is not about one setting's value. */
    public String settingName() {
        return settingName;
    }

    private static String oneLine(String message) {
        if (!message.startsWith("gevent4j: ") || message.indexOf('\n') >= 0 || message.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("config error messages must be one line starting with 'gevent4j: ': "
                    + message);
        }
        return message;
    }
}

package gevent4j.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Picks the {@code gevent.<name>} properties out of the system properties.
 *
 * <p>The {@code gevent.} prefix belongs to gevent4j, so a property under it that names no setting is an
 * error rather than silently ignored: a misspelt {@code -Dgevent.loops=libuv} would otherwise run the
 * application on the wrong loop without a word. Other properties are none of our business.
 */
final class SystemProperties {
    static final String PREFIX = "gevent.";

    private SystemProperties() {
    }

    /** @return raw values by setting; properties are checked in name order so the first error is stable */
    static Map<Setting<?>, String> select(Map<String, String> systemProperties) throws ConfigException {
        if (systemProperties == null || systemProperties.isEmpty()) {
            return Map.of();
        }
        Map<Setting<?>, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> property : new TreeMap<>(systemProperties).entrySet()) {
            String key = property.getKey();
            if (!key.startsWith(PREFIX) || property.getValue() == null) {
                continue;
            }
            String name = key.substring(PREFIX.length());
            Optional<Setting<?>> setting = Settings.named(name);
            if (setting.isEmpty()) {
                throw new ConfigException(null, "gevent4j: unknown system property " + Text.quote(key)
                        + ": no setting is named " + Text.quote(name) + Suggestions.hint(name, PREFIX));
            }
            values.put(setting.get(), property.getValue());
        }
        return Collections.unmodifiableMap(values);
    }
}

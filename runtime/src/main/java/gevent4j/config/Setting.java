package gevent4j.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One declared setting: gevent's {@code Setting} class, as data.
 *
 * <p>Instances are the constants in {@link Settings}; they are immutable and compared by identity. The
 * system property is always {@code gevent.<name>} and the agent argument is always {@code <name>}; only the
 * environment variable varies, because it follows gevent's documented names (see the comments in
 * {@link Settings} for each exception to the {@code GEVENT_<NAME>} pattern).
 *
 * @param <T> the type of the parsed value
 */
public final class Setting<T> {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

    private final String name;
    private final String environmentKey;
    private final List<String> environmentAliases;
    private final Kind<T> kind;
    private final T defaultValue;
    private final String description;
    private final String since;
    private final Setting<T> deprecatedAliasOf;
    private final boolean gevent4jExtension;

    private Setting(Builder<T> builder) {
        this.name = builder.name;
        // Like gevent's SettingType metaclass: the key is GEVENT_<NAME> unless the declaration says otherwise.
        this.environmentKey = builder.environmentKey != null ? builder.environmentKey
                : "GEVENT_" + name.toUpperCase(Locale.ROOT);
        this.environmentAliases = List.copyOf(builder.environmentAliases);
        this.kind = builder.kind;
        this.defaultValue = builder.defaultValue;
        this.description = Objects.requireNonNull(builder.description, "description of " + name).strip();
        this.since = Objects.requireNonNull(builder.since, "since of " + name);
        this.deprecatedAliasOf = builder.deprecatedAliasOf;
        this.gevent4jExtension = builder.gevent4jExtension;
        // gevent's template asks for a one-sentence first line; the docs table and 'info' use it alone.
        String summary = summary();
        boolean endsSentence = summary.endsWith(".") || summary.endsWith("?");
        if (!endsSentence || summary.substring(0, summary.length() - 1).contains(". ")) {
            throw new IllegalArgumentException("first line of " + name + "'s description must be one sentence: "
                    + summary);
        }
    }

    static <T> Builder<T> builder(String name, Kind<T> kind) {
        return new Builder<>(name, kind);
    }

    /** The name from gevent's configuration page, e.g. {@code max_blocking_time}. */
    public String name() {
        return name;
    }

    /** The primary environment variable, exactly as gevent documents it, e.g. {@code GEVENT_NOWAITPID}. */
    public String environmentKey() {
        return environmentKey;
    }

    /** Further environment variables read when the primary one is unset, in order; usually empty. */
    public List<String> environmentAliases() {
        return environmentAliases;
    }

    /** The primary environment variable followed by its aliases. */
    public List<String> environmentKeys() {
        List<String> keys = new ArrayList<>(1 + environmentAliases.size());
        keys.add(environmentKey);
        keys.addAll(environmentAliases);
        return List.copyOf(keys);
    }

    /** The system property, {@code gevent.<name>}. */
    public String systemProperty() {
        return "gevent." + name;
    }

    /** The name used in {@code -javaagent:gevent4j-agent.jar=<name>=<value>,...}: the setting's own name. */
    public String agentArgument() {
        return name;
    }

    public Kind<T> kind() {
        return kind;
    }

    /** The value used when no source sets the setting; empty when the setting has no default ("None"). */
    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** The full description; its first line is one sentence ({@link #summary()}). */
    public String description() {
        return description;
    }

    /** The first line of the description. */
    public String summary() {
        int newline = description.indexOf('\n');
        return newline < 0 ? description : description.substring(0, newline).strip();
    }

    /** The gevent4j version that introduced the setting. */
    public String since() {
        return since;
    }

    /** For deprecated aliases such as {@code ares_servers}, the setting to use instead; otherwise empty. */
    public Optional<Setting<T>> deprecatedAliasOf() {
        return Optional.ofNullable(deprecatedAliasOf);
    }

    /** Whether gevent4j added this setting (gevent has no such setting). */
    public boolean isGevent4jExtension() {
        return gevent4jExtension;
    }

    @Override
    public String toString() {
        return name;
    }

    /** Declares a setting; used only by {@link Settings}. */
    static final class Builder<T> {
        private final String name;
        private final Kind<T> kind;
        private String environmentKey;
        private final List<String> environmentAliases = new ArrayList<>();
        private T defaultValue;
        private String description;
        private String since;
        private Setting<T> deprecatedAliasOf;
        private boolean gevent4jExtension;

        private Builder(String name, Kind<T> kind) {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("bad setting name " + name);
            }
            this.name = name;
            this.kind = Objects.requireNonNull(kind);
        }

        /** Overrides the derived {@code GEVENT_<NAME>} key; every call site says why. */
        Builder<T> env(String key) {
            this.environmentKey = key;
            return this;
        }

        Builder<T> envAlias(String key) {
            environmentAliases.add(key);
            return this;
        }

        Builder<T> defaultValue(T value) {
            this.defaultValue = Objects.requireNonNull(value);
            return this;
        }

        Builder<T> description(String text) {
            this.description = text;
            return this;
        }

        Builder<T> since(String version) {
            this.since = version;
            return this;
        }

        Builder<T> deprecatedAliasOf(Setting<T> replacement) {
            this.deprecatedAliasOf = replacement;
            return this;
        }

        Builder<T> gevent4jExtension() {
            this.gevent4jExtension = true;
            return this;
        }

        Setting<T> build() {
            return new Setting<>(this);
        }
    }
}

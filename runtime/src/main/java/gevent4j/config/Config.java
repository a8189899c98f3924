package gevent4j.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The effective configuration: every setting's value, resolved once from agent arguments, system
 * properties, the environment and defaults, then frozen ("so we return consistent results", as gevent's
 * {@code Setting.get()} puts it). Immutable and safe to share between threads.
 *
 * <p>Precedence, highest first: agent argument, {@code -Dgevent.<name>} system property, environment
 * variable, default. Only the winning text is parsed, so a broken environment variable can be overridden by
 * an agent argument. A blank environment variable counts as unset (a common way to clear one); a blank agent
 * argument or system property is an error.
 *
 * <p>Deprecated aliases ({@code ares_servers}, {@code ares_timeout}) are resolved like any setting; when one
 * is set, its value, source and raw text also become those of the setting it aliases, so consumers read only
 * the new name, and {@link #notices()} says so. Setting both an alias and its replacement is an error.
 */
public final class Config {
    private final Map<Setting<?>, Resolved<?>> values;
    private final List<String> notices;

    private Config(Map<Setting<?>, Resolved<?>> values, List<String> notices) {
        this.values = Collections.unmodifiableMap(values);
        this.notices = List.copyOf(notices);
    }

    /**
     * Resolves every setting.
     *
     * @param agentArgs        the agent argument string ({@code name=value,...}); {@code null} or blank sets nothing
     * @param systemProperties system properties; only keys starting with {@code gevent.} are read
     * @param environment      environment variables; only the documented keys are read
     * @throws ConfigException with a one-line message at the first problem found
     */
    public static Config resolve(String agentArgs, Map<String, String> systemProperties,
                                 Map<String, String> environment) throws ConfigException {
        Map<Setting<?>, String> fromAgent = AgentArguments.parse(agentArgs);
        Map<Setting<?>, String> fromProperties = SystemProperties.select(systemProperties);
        Map<String, String> env = environment == null ? Map.of() : environment;
        Map<Setting<?>, Resolved<?>> values = new LinkedHashMap<>();
        List<String> notices = new ArrayList<>();
        for (Setting<?> setting : Settings.all()) {
            values.put(setting, resolveOne(setting, fromAgent, fromProperties, env, notices));
        }
        for (Setting<?> setting : Settings.all()) {
            applyDeprecatedAlias(setting, values, notices);
        }
        return new Config(values, notices);
    }

    /** Every setting at its default, with no notices. */
    public static Config defaults() {
        Map<Setting<?>, Resolved<?>> values = new LinkedHashMap<>();
        for (Setting<?> setting : Settings.all()) {
            values.put(setting, Resolved.byDefault(setting));
        }
        return new Config(values, List.of());
    }

    /** The effective value, or {@code null} when the setting is unset and has no default. */
    public <T> T get(Setting<T> setting) {
        return resolved(setting).value();
    }

    /** Where the effective value came from; for a value copied from a deprecated alias, the alias's source. */
    public Source sourceOf(Setting<?> setting) {
        return resolved(setting).source();
    }

    /** The text the value was parsed from, as given (trimmed for agent arguments); {@code null} for defaults. */
    public String rawValueOf(Setting<?> setting) {
        return resolved(setting).raw();
    }

    /**
     * One aligned line per setting for the agent's {@code info} command: name, effective value, where it came
     * from, and {@code (deprecated: use <name>)} for a deprecated alias.
     */
    public List<String> describe() {
        List<String[]> rows = new ArrayList<>();
        int nameWidth = 0;
        int valueWidth = 0;
        for (Resolved<?> resolved : values.values()) {
            String[] row = {resolved.setting().name(), resolved.formatted(), resolved.origin()};
            nameWidth = Math.max(nameWidth, row[0].length());
            valueWidth = Math.max(valueWidth, row[1].length());
            rows.add(row);
        }
        List<String> lines = new ArrayList<>(rows.size());
        int i = 0;
        for (Resolved<?> resolved : values.values()) {
            String[] row = rows.get(i++);
            Setting<?> setting = resolved.setting();
            StringBuilder line = new StringBuilder()
                    .append(pad(row[0], nameWidth)).append("  ")
                    .append(pad(row[1], valueWidth)).append("  ")
                    .append(row[2]);
            setting.deprecatedAliasOf().ifPresent(target -> line.append(" (deprecated: use ").append(target.name())
                    .append(')'));
            lines.add(line.toString());
        }
        return List.copyOf(lines);
    }

    /**
     * Informational lines about how the configuration was read: deprecated aliases in use, environment
     * aliases shadowed by the primary variable. They carry
     * no {@code gevent4j:} prefix; the caller prints them through its own logger.
     */
    public List<String> notices() {
        return notices;
    }

    @SuppressWarnings("unchecked") // values maps each Setting<T> to a Resolved<T>; see resolveOne.
    private <T> Resolved<T> resolved(Setting<T> setting) {
        Resolved<?> resolved = values.get(setting);
        if (resolved == null) {
            throw new IllegalArgumentException("not a registered setting: " + setting);
        }
        return (Resolved<T>) resolved;
    }

    private static <T> Resolved<T> resolveOne(Setting<T> setting, Map<Setting<?>, String> fromAgent,
                                              Map<Setting<?>, String> fromProperties, Map<String, String> env,
                                              List<String> notices) throws ConfigException {
        String raw = fromAgent.get(setting);
        if (raw != null) {
            return parse(setting, raw, Source.AGENT_ARGUMENT, Source.AGENT_ARGUMENT.label());
        }
        raw = fromProperties.get(setting);
        if (raw != null) {
            return parse(setting, raw, Source.SYSTEM_PROPERTY, "system property " + setting.systemProperty());
        }
        String usedKey = null;
        for (String key : setting.environmentKeys()) {
            String value = env.get(key);
            if (value == null || value.isBlank()) {
                continue;
            }
            if (usedKey == null) {
                usedKey = key;
                raw = value;
            } else {
                notices.add("environment variable " + key + " is ignored for " + setting.name() + " because "
                        + usedKey + " is set");
            }
        }
        if (usedKey != null) {
            return parse(setting, raw, Source.ENVIRONMENT, "environment variable " + usedKey);
        }
        return Resolved.byDefault(setting);
    }

    private static <T> Resolved<T> parse(Setting<T> setting, String raw, Source source, String origin)
            throws ConfigException {
        try {
            return new Resolved<>(setting, setting.kind().parse(raw), source, raw, origin);
        } catch (InvalidValueException e) {
            throw ConfigException.invalidValue(setting, raw, origin, e.reason());
        }
    }

    private static <T> void applyDeprecatedAlias(Setting<T> alias, Map<Setting<?>, Resolved<?>> values,
                                                 List<String> notices) throws ConfigException {
        if (alias.deprecatedAliasOf().isEmpty() || values.get(alias).source() == Source.DEFAULT) {
            return;
        }
        Setting<T> target = alias.deprecatedAliasOf().get();
        @SuppressWarnings("unchecked") // values maps each Setting<T> to a Resolved<T>
        Resolved<T> given = (Resolved<T>) values.get(alias);
        Resolved<?> current = values.get(target);
        if (current.source() != Source.DEFAULT) {
            throw new ConfigException(target.name(), "gevent4j: conflicting settings: set both " + alias.name()
                    + " (" + given.origin() + ") and " + target.name() + " (" + current.origin() + "); use "
                    + target.name() + " only");
        }
        values.put(target, new Resolved<>(target, given.value(), given.source(), given.raw(),
                given.origin() + " via deprecated " + alias.name()));
        notices.add(alias.name() + " (" + given.origin() + ") is deprecated; its value is used for "
                + target.name() + ", set " + target.name() + " instead");
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }

    /**
     * One setting's outcome.
     *
     * @param origin human description of the source, naming the variable or property, e.g.
     *               {@code "environment variable PYTHONTRACEMALLOC"}
     */
    private record Resolved<T>(Setting<T> setting, T value, Source source, String raw, String origin) {
        static <T> Resolved<T> byDefault(Setting<T> setting) {
            return new Resolved<>(setting, setting.defaultValue().orElse(null), Source.DEFAULT, null,
                    Source.DEFAULT.label());
        }

        String formatted() {
            return value == null ? "(none)" : setting.kind().format(value);
        }
    }
}

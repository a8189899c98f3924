package gevent4j.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses the agent's argument string, {@code -javaagent:gevent4j-agent.jar=<name>=<value>,<name>=<value>}.
 *
 * <p>The JVM hands the agent everything after the first {@code =} as one string, and {@code ,} is the
 * conventional separator between options, so list values use {@code +} between items
 * ({@code loop=libev+jdk}). Forgetting that is the likeliest mistake, and it shows up as a token without
 * {@code =}, so that error suggests the {@code +} spelling.
 */
final class AgentArguments {
    private AgentArguments() {
    }

    /**
     * @return raw (trimmed) values by setting, in the order given; empty for {@code null} or blank input
     */
    static Map<Setting<?>, String> parse(String agentArgs) throws ConfigException {
        if (agentArgs == null || agentArgs.isBlank()) {
            return Map.of();
        }
        Map<Setting<?>, String> values = new LinkedHashMap<>();
        String[] tokens = agentArgs.split(",", -1);
        for (int i = 0; i < tokens.length; i++) {
            String token = tokens[i].strip();
            int equals = token.indexOf('=');
            if (token.isEmpty()) {
                throw malformed(agentArgs, "empty item; separate settings with a single ','");
            }
            if (equals < 0) {
                throw new ConfigException(null, "gevent4j: malformed agent argument " + Text.quote(token) + " in "
                        + Text.quote(agentArgs) + ": expected name=value; " + listHint(tokens, i));
            }
            String name = token.substring(0, equals).strip();
            String value = token.substring(equals + 1).strip();
            if (name.isEmpty()) {
                throw new ConfigException(null, "gevent4j: malformed agent argument " + Text.quote(token) + " in "
                        + Text.quote(agentArgs) + ": empty setting name before '='");
            }
            Optional<Setting<?>> setting = Settings.named(name);
            if (setting.isEmpty()) {
                throw new ConfigException(null, "gevent4j: unknown setting " + Text.quote(name)
                        + " in agent arguments " + Text.quote(agentArgs) + Suggestions.hint(name, ""));
            }
            if (values.putIfAbsent(setting.get(), value) != null) {
                throw new ConfigException(name, "gevent4j: setting '" + name + "' given twice in agent arguments "
                        + Text.quote(agentArgs) + "; give each setting once and separate list items with '+'");
            }
        }
        return Collections.unmodifiableMap(values);
    }

    /**
     * Explains the {@code +} syntax; when the stray token follows {@code name=value}, shows the corrected
     * argument built from that setting and every stray token after it, e.g. {@code (loop=libev+libuv)}.
     */
    private static String listHint(String[] tokens, int stray) {
        String hint = "separate list items with '+'";
        int owner = stray - 1;
        if (owner < 0 || tokens[owner].indexOf('=') < 0) {
            return hint + " (resolver=thread+block)";
        }
        List<String> items = new ArrayList<>();
        items.add(tokens[owner].strip());
        for (int i = stray; i < tokens.length && !tokens[i].isBlank() && tokens[i].indexOf('=') < 0; i++) {
            items.add(tokens[i].strip());
        }
        return hint + " (" + String.join("+", items) + ")";
    }

    private static ConfigException malformed(String agentArgs, String why) {
        return new ConfigException(null, "gevent4j: malformed agent arguments " + Text.quote(agentArgs) + ": " + why);
    }
}

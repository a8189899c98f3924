package gevent4j.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every setting, through every source, rejects a bad value with one line naming setting, value, source, accepted. */
class InvalidValueMessagesTest {
    /** One invalid value per setting; a new setting without an entry fails {@link #everySettingHasASample}. */
    private static final Map<String, String> INVALID = Map.ofEntries(
            Map.entry("ares_servers", "dns.google"),
            Map.entry("ares_timeout", "-3"),
            Map.entry("disable_watch_children", "maybe"),
            Map.entry("fileobject", "mmap"),
            Map.entry("format_context", "repr"),
            Map.entry("libev_backend", "epol"),
            Map.entry("log_level", "verbose"),
            Map.entry("loop", "foo"),
            Map.entry("max_blocking_time", "0"),
            Map.entry("max_memory_usage", "12tb"),
            Map.entry("memory_monitor_period", "nan"),
            Map.entry("monitor_thread", "enabled"),
            Map.entry("resolver", "dnspython3"),
            Map.entry("resolver_nameservers", "1.2.3.256"),
            Map.entry("resolver_timeout", "soon"),
            Map.entry("threadpool", "fixed"),
            Map.entry("threadpool_idle_task_timeout", "-2"),
            Map.entry("threadpool_maxsize", "0"),
            Map.entry("trace_malloc", "sometimes"),
            Map.entry("track_greenlet_tree", "2x"));

    @Test
    void everySettingHasASample() {
        assertEquals(Settings.all().stream().map(Setting::name).sorted().toList(),
                INVALID.keySet().stream().sorted().toList());
    }

    static Stream<Arguments> settingsAndSources() {
        return Settings.all().stream().flatMap(setting -> Stream.of(
                Arguments.of(setting, Source.AGENT_ARGUMENT),
                Arguments.of(setting, Source.SYSTEM_PROPERTY),
                Arguments.of(setting, Source.ENVIRONMENT)));
    }

    @ParameterizedTest(name = "{0} via {1}")
    @MethodSource("settingsAndSources")
    void oneLineNamingSettingValueSourceAndAccepted(Setting<?> setting, Source source) {
        String bad = INVALID.get(setting.name());
        String origin = switch (source) {
            case AGENT_ARGUMENT -> "agent argument";
            case SYSTEM_PROPERTY -> "system property gevent." + setting.name();
            case ENVIRONMENT -> "environment variable " + setting.environmentKey();
            case DEFAULT -> throw new AssertionError();
        };
        ConfigException e = assertThrows(ConfigException.class, () -> resolveVia(setting, source, bad));
        String message = e.getMessage();
        assertTrue(message.startsWith("gevent4j: invalid value '" + bad + "' for setting '" + setting.name()
                + "' (" + origin + "): "), message);
        assertTrue(message.endsWith("; accepted: " + setting.kind().accepted()), message);
        assertTrue(message.indexOf('\n') < 0 && message.indexOf('\r') < 0, message);
        assertEquals(setting.name(), e.settingName());
    }

    private static Config resolveVia(Setting<?> setting, Source source, String value) throws ConfigException {
        return switch (source) {
            case AGENT_ARGUMENT -> Config.resolve(setting.agentArgument() + "=" + value, Map.of(), Map.of());
            case SYSTEM_PROPERTY -> Config.resolve(null, Map.of(setting.systemProperty(), value), Map.of());
            case ENVIRONMENT -> Config.resolve(null, Map.of(), Map.of(setting.environmentKey(), value));
            case DEFAULT -> throw new AssertionError();
        };
    }

    @Test
    void theLoopExampleFromTheSpecification() {
        ConfigException e = assertThrows(ConfigException.class, () -> Config.resolve("loop=foo", Map.of(), Map.of()));
        assertEquals("gevent4j: invalid value 'foo' for setting 'loop' (agent argument): unknown loop 'foo'; "
                + "accepted: jdk, libev, libuv, libev-ffm, libuv-ffm (aliases libev-cext, libev-cffi, libuv-cffi) or a class name "
                + "implementing gevent4j.loop.LoopProvider", e.getMessage());
    }

    @Test
    void nameserverErrorsNameTheEntry() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Config.resolve(null, Map.of(), Map.of("GEVENT_RESOLVER_NAMESERVERS", "8.8.8.8,dns.google")));
        assertTrue(e.getMessage().contains("(environment variable GEVENT_RESOLVER_NAMESERVERS): nameserver "
                + "'dns.google' is a hostname"), e.getMessage());
    }

    @Test
    void environmentAliasIsNamedAsTheSource() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Config.resolve(null, Map.of(), Map.of("PYTHONTRACEMALLOC", "sometimes")));
        assertTrue(e.getMessage().contains("(environment variable PYTHONTRACEMALLOC)"), e.getMessage());
    }

    @Test
    void controlCharactersInValuesDoNotBreakTheLine() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Config.resolve(null, Map.of(), Map.of("GEVENT_LOOP", "jdk\nrm -rf /")));
        assertTrue(e.getMessage().contains("'jdk\\nrm -rf /'"), e.getMessage());
        assertTrue(e.getMessage().indexOf('\n') < 0);
    }

    @Test
    void hugeValuesAreShortened() {
        String huge = "x".repeat(10_000);
        ConfigException e = assertThrows(ConfigException.class,
                () -> Config.resolve(null, Map.of(), Map.of("GEVENT_LOOP", huge)));
        assertTrue(e.getMessage().length() < 1_000, e.getMessage());
    }
}

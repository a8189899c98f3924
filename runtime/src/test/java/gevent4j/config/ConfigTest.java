package gevent4j.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
    private static Config resolve(String agentArgs, Map<String, String> props, Map<String, String> env)
            throws ConfigException {
        return Config.resolve(agentArgs, props, env);
    }

    @Test
    void defaultsWhenNothingIsSet() throws ConfigException {
        Config config = resolve(null, Map.of(), Map.of());
        for (Setting<?> setting : Settings.all()) {
            assertEquals(setting.defaultValue().orElse(null), config.get(setting), setting.name());
            assertEquals(Source.DEFAULT, config.sourceOf(setting), setting.name());
            assertNull(config.rawValueOf(setting), setting.name());
        }
        assertEquals(List.of("libev", "libuv", "jdk"), config.get(Settings.LOOP));
        assertEquals(LogLevel.WARN, config.get(Settings.LOG_LEVEL));
        assertEquals(Duration.ofMillis(100), config.get(Settings.MAX_BLOCKING_TIME));
        assertNull(config.get(Settings.RESOLVER_NAMESERVERS));
        assertEquals(List.of(), config.notices());
    }

    @Test
    void defaultsFactoryMatchesResolvingNothing() throws ConfigException {
        Config resolved = resolve("", null, null);
        Config defaults = Config.defaults();
        for (Setting<?> setting : Settings.all()) {
            assertEquals(resolved.get(setting), defaults.get(setting), setting.name());
            assertEquals(Source.DEFAULT, defaults.sourceOf(setting));
        }
        assertEquals(resolved.describe(), defaults.describe());
    }

    @Test
    void precedenceAgentOverPropertyOverEnvironmentOverDefault() throws ConfigException {
        Map<String, String> env = Map.of("GEVENT_LOOP", "libuv", "GEVENT_RESOLVER", "block",
                "GEVENT_FILE", "thread", "GEVENT_LOG_LEVEL", "debug");
        Map<String, String> props = Map.of("gevent.loop", "libev", "gevent.resolver", "thread,block",
                "gevent.fileobject", "block");
        Config config = resolve("loop=jdk", props, env);

        assertEquals(List.of("jdk"), config.get(Settings.LOOP));
        assertEquals(Source.AGENT_ARGUMENT, config.sourceOf(Settings.LOOP));
        assertEquals("jdk", config.rawValueOf(Settings.LOOP));

        assertEquals(List.of("thread", "block"), config.get(Settings.RESOLVER));
        assertEquals(Source.SYSTEM_PROPERTY, config.sourceOf(Settings.RESOLVER));
        assertEquals("thread,block", config.rawValueOf(Settings.RESOLVER));

        assertEquals(LogLevel.DEBUG, config.get(Settings.LOG_LEVEL));
        assertEquals(Source.ENVIRONMENT, config.sourceOf(Settings.LOG_LEVEL));
        assertEquals("debug", config.rawValueOf(Settings.LOG_LEVEL));

        assertEquals(List.of("block"), config.get(Settings.FILEOBJECT));
        assertEquals(Source.SYSTEM_PROPERTY, config.sourceOf(Settings.FILEOBJECT));

        assertEquals(256, config.get(Settings.THREADPOOL_MAXSIZE));
        assertEquals(Source.DEFAULT, config.sourceOf(Settings.THREADPOOL_MAXSIZE));
    }

    @Test
    void onlyTheWinningValueIsParsed() throws ConfigException {
        Config config = resolve("threadpool_maxsize=8", Map.of(), Map.of("GEVENT_THREADPOOL_MAXSIZE", "lots"));
        assertEquals(8, config.get(Settings.THREADPOOL_MAXSIZE));
    }

    @Test
    void blankEnvironmentVariableCountsAsUnset() throws ConfigException {
        Config config = resolve(null, Map.of(), Map.of("GEVENT_LOOP", "  "));
        assertEquals(Source.DEFAULT, config.sourceOf(Settings.LOOP));
    }

    @Test
    void blankSystemPropertyIsAnError() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> resolve(null, Map.of("gevent.loop", ""), Map.of()));
        assertEquals("loop", e.settingName());
        assertTrue(e.getMessage().contains("empty value"), e.getMessage());
    }

    @Test
    void environmentKeysFollowGeventsNames() throws ConfigException {
        Config config = resolve(null, Map.of(), Map.of(
                "GEVENT_NOWAITPID", "yes",
                "GEVENT_BACKEND", "epoll",
                "GEVENT_MONITOR_MEMORY_MAX", "512mb",
                "GEVENT_MONITOR_MEMORY_PERIOD", "10",
                "GEVENT_MONITOR_THREAD_ENABLE", "on",
                "GEVENT_THREADPOOL_IDLE_TASK_TIMEOUT", "-1",
                "GEVENT_RESOLVER_TIMEOUT", "2.5"));
        assertEquals(true, config.get(Settings.DISABLE_WATCH_CHILDREN));
        assertEquals(List.of("epoll"), config.get(Settings.LIBEV_BACKEND));
        assertEquals(512L * 1024 * 1024, config.get(Settings.MAX_MEMORY_USAGE));
        assertEquals(Duration.ofSeconds(10), config.get(Settings.MEMORY_MONITOR_PERIOD));
        assertEquals(true, config.get(Settings.MONITOR_THREAD));
        assertTrue(config.get(Settings.THREADPOOL_IDLE_TASK_TIMEOUT).isNegative());
        assertEquals(Duration.ofMillis(2500), config.get(Settings.RESOLVER_TIMEOUT));
    }

    @Test
    void otherGeventVariablesAreNotOurBusiness() throws ConfigException {
        Config config = resolve(null, Map.of("java.version", "25", "gevent4j.patch.x.enabled", "true"),
                Map.of("GEVENT_SOMETHING_ELSE", "garbage", "GEVENT_FILEOBJECT", "nonsense"));
        assertEquals(Source.DEFAULT, config.sourceOf(Settings.FILEOBJECT));
    }

    @Test
    void pythonTraceMallocIsAnEnvironmentAlias() throws ConfigException {
        Config config = resolve(null, Map.of(), Map.of("PYTHONTRACEMALLOC", "25"));
        assertEquals(true, config.get(Settings.TRACE_MALLOC));
        assertEquals(Source.ENVIRONMENT, config.sourceOf(Settings.TRACE_MALLOC));
        assertEquals("25", config.rawValueOf(Settings.TRACE_MALLOC));
        assertTrue(config.describe().stream().anyMatch(line -> line.startsWith("trace_malloc")
                && line.contains("environment variable PYTHONTRACEMALLOC")), config.describe().toString());
    }

    @Test
    void primaryEnvironmentKeyBeatsItsAlias() throws ConfigException {
        Config config = resolve(null, Map.of(), Map.of("GEVENT_TRACE_MALLOC", "false", "PYTHONTRACEMALLOC", "1"));
        assertEquals(false, config.get(Settings.TRACE_MALLOC));
        assertEquals("false", config.rawValueOf(Settings.TRACE_MALLOC));
        assertTrue(config.notices().contains(
                "environment variable PYTHONTRACEMALLOC is ignored for trace_malloc because GEVENT_TRACE_MALLOC is set"),
                config.notices().toString());
    }

    @Test
    void deprecatedAliasFeedsItsReplacementWithANotice() throws ConfigException {
        Config config = resolve(null, Map.of(), Map.of("GEVENTARES_SERVERS", "8.8.8.8,[::1]:53"));
        assertEquals(List.of("8.8.8.8", "[::1]:53"), config.get(Settings.ARES_SERVERS));
        assertEquals(List.of("8.8.8.8", "[::1]:53"), config.get(Settings.RESOLVER_NAMESERVERS));
        assertEquals(Source.ENVIRONMENT, config.sourceOf(Settings.RESOLVER_NAMESERVERS));
        assertEquals("8.8.8.8,[::1]:53", config.rawValueOf(Settings.RESOLVER_NAMESERVERS));
        assertTrue(config.notices().stream().anyMatch(notice -> notice.startsWith(
                "ares_servers (environment variable GEVENTARES_SERVERS) is deprecated")), config.notices().toString());
    }

    @Test
    void deprecatedTimeoutAliasToo() throws ConfigException {
        Config config = resolve("ares_timeout=3", Map.of(), Map.of());
        assertEquals(Duration.ofSeconds(3), config.get(Settings.RESOLVER_TIMEOUT));
        assertEquals(Source.AGENT_ARGUMENT, config.sourceOf(Settings.RESOLVER_TIMEOUT));
    }

    @Test
    void settingAnAliasAndItsReplacementIsAnErrorAcrossSources() {
        ConfigException e = assertThrows(ConfigException.class, () -> resolve(null,
                Map.of("gevent.resolver_nameservers", "1.1.1.1"), Map.of("GEVENTARES_SERVERS", "8.8.8.8")));
        assertEquals("gevent4j: conflicting settings: set both ares_servers (environment variable "
                + "GEVENTARES_SERVERS) and resolver_nameservers (system property gevent.resolver_nameservers); "
                + "use resolver_nameservers only", e.getMessage());

        ConfigException timeouts = assertThrows(ConfigException.class,
                () -> resolve("ares_timeout=1,resolver_timeout=2", Map.of(), Map.of()));
        assertTrue(timeouts.getMessage().contains("set both ares_timeout (agent argument) and resolver_timeout "
                + "(agent argument); use resolver_timeout only"), timeouts.getMessage());
    }

    @Test
    void unknownGeventPropertyIsAnErrorWithSuggestions() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> resolve(null, Map.of("gevent.loops", "jdk"), Map.of()));
        assertEquals("gevent4j: unknown system property 'gevent.loops': no setting is named 'loops'; "
                + "did you mean gevent.loop?", e.getMessage());
        ConfigException far = assertThrows(ConfigException.class,
                () -> resolve(null, Map.of("gevent.zzzzzzzz", "1"), Map.of()));
        assertTrue(far.getMessage().contains("known settings: gevent.ares_servers, "), far.getMessage());
        assertTrue(far.getMessage().indexOf('\n') < 0);
    }

    @Test
    void describeAligns() throws ConfigException {
        Config config = resolve("loop=jdk", Map.of(), Map.of("GEVENT_MAX_BLOCKING_TIME", "250ms", "GEVENT_NOWAITPID", "1"));
        List<String> lines = config.describe();
        assertEquals(Settings.all().size(), lines.size());
        String loop = line(lines, "loop ");
        String blocking = line(lines, "max_blocking_time ");
        String nameservers = line(lines, "resolver_nameservers ");
        assertTrue(loop.matches("loop +jdk +agent argument"), loop);
        assertTrue(blocking.matches("max_blocking_time +0\\.25s +environment variable GEVENT_MAX_BLOCKING_TIME"), blocking);
        String children = line(lines, "disable_watch_children ");
        assertTrue(children.matches("disable_watch_children +true +environment variable GEVENT_NOWAITPID"), children);
        assertTrue(nameservers.contains("(none)"), nameservers);
        assertTrue(line(lines, "ares_servers ").contains("(deprecated: use resolver_nameservers)"));
        // Aligned: every value column starts at the same offset.
        int valueColumn = loop.indexOf("jdk");
        for (String line : lines) {
            assertTrue(line.charAt(valueColumn - 1) == ' ' && line.charAt(valueColumn) != ' ', line);
        }
    }

    @Test
    void configIsFrozen() throws ConfigException {
        Config config = resolve("loop=libev+jdk", Map.of(), Map.of());
        List<String> loop = config.get(Settings.LOOP);
        assertThrows(UnsupportedOperationException.class, () -> loop.add("libuv"));
        assertThrows(UnsupportedOperationException.class, () -> config.notices().add("x"));
        assertSame(loop, config.get(Settings.LOOP));
    }

    private static String line(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow(() ->
                new AssertionError("no line starting with '" + prefix + "' in " + lines));
    }
}

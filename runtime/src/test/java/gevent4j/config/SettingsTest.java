package gevent4j.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The registry is consistent: names, keys, defaults and docs hold the invariants other code relies on. */
class SettingsTest {
    @Test
    void allListsEveryConstantAlphabetically() throws IllegalAccessException {
        List<Setting<?>> constants = new ArrayList<>();
        for (Field field : Settings.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == Setting.class) {
                constants.add((Setting<?>) field.get(null));
                assertEquals(field.getName(), ((Setting<?>) field.get(null)).name().toUpperCase(Locale.ROOT));
            }
        }
        assertEquals(20, constants.size());
        assertEquals(Set.copyOf(constants), Set.copyOf(Settings.all()));
        List<String> names = Settings.all().stream().map(Setting::name).toList();
        assertEquals(names.stream().sorted().toList(), names);
    }

    @Test
    void namedFindsEachSetting() {
        for (Setting<?> setting : Settings.all()) {
            assertSame(setting, Settings.named(setting.name()).orElseThrow());
        }
        assertTrue(Settings.named("LOOP").isEmpty());
    }

    @Test
    void keysAreDerivedAndUnique() {
        Set<String> envKeys = new HashSet<>();
        for (Setting<?> setting : Settings.all()) {
            assertEquals("gevent." + setting.name(), setting.systemProperty());
            assertEquals(setting.name(), setting.agentArgument());
            for (String key : setting.environmentKeys()) {
                assertTrue(envKeys.add(key), "environment key used twice: " + key);
            }
        }
    }

    @Test
    void environmentKeysAsGeventDocumentsThem() {
        assertEquals("GEVENT_LOOP", Settings.LOOP.environmentKey());
        assertEquals("GEVENT_FILE", Settings.FILEOBJECT.environmentKey());
        assertEquals("GEVENT_NOWAITPID", Settings.DISABLE_WATCH_CHILDREN.environmentKey());
        assertEquals("GEVENT_BACKEND", Settings.LIBEV_BACKEND.environmentKey());
        assertEquals("GEVENT_MONITOR_MEMORY_MAX", Settings.MAX_MEMORY_USAGE.environmentKey());
        assertEquals("GEVENT_MONITOR_MEMORY_PERIOD", Settings.MEMORY_MONITOR_PERIOD.environmentKey());
        assertEquals("GEVENT_MONITOR_THREAD_ENABLE", Settings.MONITOR_THREAD.environmentKey());
        assertEquals("GEVENTARES_SERVERS", Settings.ARES_SERVERS.environmentKey());
        assertEquals("GEVENTARES_TIMEOUT", Settings.ARES_TIMEOUT.environmentKey());
        assertEquals(List.of("GEVENT_TRACE_MALLOC", "PYTHONTRACEMALLOC"), Settings.TRACE_MALLOC.environmentKeys());
        assertEquals("GEVENT_THREADPOOL_IDLE_TASK_TIMEOUT", Settings.THREADPOOL_IDLE_TASK_TIMEOUT.environmentKey());
    }

    @Test
    void defaultsRoundTripThroughTheirKind() throws InvalidValueException {
        for (Setting<?> setting : Settings.all()) {
            assertRoundTrips(setting);
        }
    }

    private static <T> void assertRoundTrips(Setting<T> setting) throws InvalidValueException {
        if (setting.defaultValue().isPresent()) {
            T value = setting.defaultValue().get();
            assertEquals(value, setting.kind().parse(setting.kind().format(value)), setting.name());
        }
    }

    @Test
    void everySettingHasASinceVersion() {
        for (Setting<?> setting : Settings.all()) {
            assertEquals("0.1", setting.since(), setting.name());
        }
    }

    @Test
    void deprecatedAliasesPointAtTheirReplacement() {
        assertSame(Settings.RESOLVER_NAMESERVERS, Settings.ARES_SERVERS.deprecatedAliasOf().orElseThrow());
        assertSame(Settings.RESOLVER_TIMEOUT, Settings.ARES_TIMEOUT.deprecatedAliasOf().orElseThrow());
        assertEquals(2, Settings.all().stream().filter(s -> s.deprecatedAliasOf().isPresent()).count());
    }

    @Test
    void extensionsAreMarked() {
        assertEquals(List.of("log_level", "threadpool_maxsize"), Settings.all().stream()
                .filter(Setting::isGevent4jExtension).map(Setting::name).toList());
    }

    @Test
    void summariesAreOneSentence() {
        for (Setting<?> setting : Settings.all()) {
            String summary = setting.summary();
            assertTrue(summary.endsWith(".") || summary.endsWith("?"), summary);
            assertTrue(setting.description().startsWith(summary));
        }
    }

    @Test
    void defaultLoopLivesInOneConstant() {
        assertSame(Settings.DEFAULT_LOOP, Settings.LOOP.defaultValue().orElseThrow());
    }
}

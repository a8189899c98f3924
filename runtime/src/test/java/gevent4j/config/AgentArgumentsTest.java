package gevent4j.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class AgentArgumentsTest {
    private static Config agent(String args) throws ConfigException {
        return Config.resolve(args, Map.of(), Map.of());
    }

    private static String error(String args) {
        return assertThrows(ConfigException.class, () -> agent(args)).getMessage();
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   "})
    void nothingSet(String args) throws ConfigException {
        assertEquals(Source.DEFAULT, agent(args).sourceOf(Settings.LOOP));
    }

    @Test
    void severalSettingsWithPlusLists() throws ConfigException {
        Config config = agent(" loop = libev+jdk , resolver=thread+block,log_level=info ");
        assertEquals(List.of("libev", "jdk"), config.get(Settings.LOOP));
        assertEquals(List.of("thread", "block"), config.get(Settings.RESOLVER));
        assertEquals(LogLevel.INFO, config.get(Settings.LOG_LEVEL));
        assertEquals("libev+jdk", config.rawValueOf(Settings.LOOP));
    }

    @Test
    void valuesMayContainEquals() throws ConfigException {
        // Only the first '=' separates name from value; the rest belongs to the value (and is then validated).
        assertTrue(error("format_context=a=b").contains("invalid value 'a=b' for setting 'format_context'"));
    }

    @Test
    void commaInsideAListGetsThePlusHint() {
        assertEquals("gevent4j: malformed agent argument 'libuv' in 'loop=libev,libuv': expected name=value; "
                + "separate list items with '+' (loop=libev+libuv)", error("loop=libev,libuv"));
        assertTrue(error("loop=libev,libuv,jdk,log_level=info").endsWith("(loop=libev+libuv+jdk)"));
    }

    @Test
    void tokenWithoutEqualsFirst() {
        assertEquals("gevent4j: malformed agent argument 'debug' in 'debug': expected name=value; separate list "
                + "items with '+' (resolver=thread+block)", error("debug"));
    }

    @Test
    void emptyName() {
        assertEquals("gevent4j: malformed agent argument '=jdk' in '=jdk': empty setting name before '='",
                error("=jdk"));
    }

    @Test
    void emptyItem() {
        assertTrue(error("loop=jdk,,log_level=info").contains("empty item"));
        assertTrue(error("loop=jdk,").contains("empty item"));
    }

    @Test
    void unknownNameSuggestsCloseOnes() {
        assertEquals("gevent4j: unknown setting 'resolvers' in agent arguments 'resolvers=thread'; did you mean "
                + "resolver?", error("resolvers=thread"));
    }

    @Test
    void settingGivenTwice() {
        assertEquals("gevent4j: setting 'loop' given twice in agent arguments 'loop=jdk,loop=libev'; give each "
                + "setting once and separate list items with '+'", error("loop=jdk,loop=libev"));
    }

    @Test
    void emptyValueIsInvalid() {
        assertTrue(error("loop=").startsWith("gevent4j: invalid value '' for setting 'loop' (agent argument): "
                + "empty value; accepted: "));
    }
}

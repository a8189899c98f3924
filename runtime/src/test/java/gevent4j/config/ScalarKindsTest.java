package gevent4j.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The small kinds: integer ranges, enum choices and fixed-vocabulary lists. */
class ScalarKindsTest {
    private final Kind<Integer> maxsize = Settings.THREADPOOL_MAXSIZE.kind();
    private final Kind<LogLevel> logLevel = Settings.LOG_LEVEL.kind();
    private final Kind<List<String>> backends = Settings.LIBEV_BACKEND.kind();

    @Test
    void integerRangeBounds() throws InvalidValueException {
        assertEquals(1, maxsize.parse("1"));
        assertEquals(256, maxsize.parse(" 256 "));
        assertEquals(32768, maxsize.parse("32768"));
        assertEquals("an integer from 1 to 32768", maxsize.accepted());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "32769", "99999999999", "12345678901234567890", "1.5", "1e3", "ten", "", "0x10"})
    void integerRejects(String text) {
        assertThrows(InvalidValueException.class, () -> maxsize.parse(text));
    }

    @Test
    void logLevelCaseInsensitive() throws InvalidValueException {
        assertEquals(LogLevel.DEBUG, logLevel.parse("DEBUG"));
        assertEquals(LogLevel.WARN, logLevel.parse("warn"));
        assertEquals(LogLevel.ERROR, logLevel.parse(" Error "));
        assertEquals(LogLevel.INFO, logLevel.parse("info"));
        assertEquals("info", logLevel.format(LogLevel.INFO));
        assertEquals("error, warn, info or debug (case-insensitive)", logLevel.accepted());
    }

    @ParameterizedTest
    @ValueSource(strings = {"warning", "trace", "", "3"})
    void logLevelRejects(String text) {
        assertThrows(InvalidValueException.class, () -> logLevel.parse(text));
    }

    @Test
    void logLevelOrdering() {
        assertEquals(true, LogLevel.WARN.includes(LogLevel.ERROR));
        assertEquals(false, LogLevel.WARN.includes(LogLevel.INFO));
    }

    @Test
    void libevBackends() throws InvalidValueException {
        assertEquals(List.of("epoll", "io_uring"), backends.parse("epoll+iouring"));
        assertEquals(List.of("select"), backends.parse("SELECT"));
        assertEquals(List.of("linuxaio", "poll", "kqueue", "devpoll", "port"),
                backends.parse("linuxaio,poll,kqueue,devpoll,port"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"epol", "epoll,epoll", "io_uring,iouring", "", "epoll,", "com.example.Backend"})
    void libevBackendRejects(String text) {
        assertThrows(InvalidValueException.class, () -> backends.parse(text));
    }
}

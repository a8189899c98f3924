package gevent4j.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationKindTest {
    private final DurationKind positive = DurationKind.POSITIVE;
    private final DurationKind idle = DurationKind.NON_NEGATIVE_OR_NO_TIMEOUT;

    @ParameterizedTest
    @CsvSource({
            "0.1, PT0.1S",
            "5, PT5S",
            "5.0, PT5S",
            ".5, PT0.5S",
            "2., PT2S",
            "250ms, PT0.25S",
            "250MS, PT0.25S",
            "'1.5 s', PT1.5S",
            "2m, PT2M",
            "0.5m, PT30S",
            "0.0000000015, PT0.000000002S",
            "+3, PT3S",
    })
    void parses(String text, Duration expected) throws InvalidValueException {
        assertEquals(expected, positive.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "0ms", "-1", "-0.5", "nan", "NaN", "inf", "-Infinity", "1e3", "5h", "5 sec",
            "five", "1.2.3", "0.0000000001", "0x10", "99999999999999999999999"})
    void positiveRejects(String text) {
        assertThrows(InvalidValueException.class, () -> positive.parse(text));
    }

    @Test
    void notFiniteHasItsOwnReason() {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> positive.parse("NaN"));
        assertEquals("must be a finite number", e.reason());
    }

    @Test
    void idleTimeoutAcceptsZeroAndMinusOne() throws InvalidValueException {
        assertEquals(Duration.ZERO, idle.parse("0"));
        assertEquals(Duration.ofSeconds(5), idle.parse("5.0"));
        assertEquals(DurationKind.NO_TIMEOUT, idle.parse("-1"));
        assertEquals(DurationKind.NO_TIMEOUT, idle.parse("-1.0"));
        assertTrue(idle.parse("-1s").isNegative());
        assertEquals("-1", idle.format(DurationKind.NO_TIMEOUT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-2", "-0.5", "-1m", "-1ms", "nan"})
    void idleTimeoutRejectsOtherNegatives(String text) {
        assertThrows(InvalidValueException.class, () -> idle.parse(text));
    }

    @ParameterizedTest
    @CsvSource({"PT0.1S, 0.1s", "PT5S, 5s", "PT2M, 120s", "PT0.000000001S, 0.000000001s"})
    void formatsAsSecondsAndRoundTrips(Duration duration, String text) throws InvalidValueException {
        assertEquals(text, positive.format(duration));
        assertEquals(duration, positive.parse(text));
    }
}

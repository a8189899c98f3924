package gevent4j.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BooleanKindTest {
    @ParameterizedTest
    @ValueSource(strings = {"1", "true", "on", "yes", "TRUE", "On", " Yes "})
    void trueWords(String text) throws InvalidValueException {
        assertEquals(Boolean.TRUE, BooleanKind.STRICT.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "false", "off", "no", "FALSE", "Off", " NO "})
    void falseWords(String text) throws InvalidValueException {
        assertEquals(Boolean.FALSE, BooleanKind.STRICT.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "2", "y", "n", "enabled", "truee", "-1", "1.0"})
    void rejectsEverythingElse(String text) {
        assertThrows(InvalidValueException.class, () -> BooleanKind.STRICT.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"25", "2", "1"})
    void frameCountVariantReadsPositiveNumbersAsTrue(String text) throws InvalidValueException {
        assertEquals(Boolean.TRUE, BooleanKind.OR_FRAME_COUNT.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1.5", "lots", "1234567890123"})
    void frameCountVariantStillRejectsGarbage(String text) {
        assertThrows(InvalidValueException.class, () -> BooleanKind.OR_FRAME_COUNT.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "false"})
    void formatRoundTrips(String text) throws InvalidValueException {
        assertEquals(text, BooleanKind.STRICT.format(BooleanKind.STRICT.parse(text)));
    }
}

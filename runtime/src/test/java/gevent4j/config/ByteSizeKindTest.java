package gevent4j.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizeKindTest {
    private final ByteSizeKind kind = ByteSizeKind.POSITIVE;

    @ParameterizedTest
    @CsvSource({
            "1, 1",
            "4096, 4096",
            "100b, 100",
            "1kb, 1024",
            "512mb, 536870912",
            "512MB, 536870912",
            "1.5gb, 1610612736",
            "2Gb, 2147483648",
            "0.5kb, 512",
            "'  8 kb ', 8192",
            "1.0b, 1",
            "0.001kb, 1",
            "8589934591gb, 9223372035781033984",
            "9223372036854775807b, 9223372036854775807",
    })
    void parses(String text, long bytes) throws InvalidValueException {
        assertEquals(bytes, kind.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "0kb", "-1", "-5mb", "1.5", "1.5b", "0.0001kb", "12tb", "5k", "mb", "1e3",
            "nan", "inf", "1,5mb", "9223372036854775808", "8589934592gb", "one"})
    void rejects(String text) {
        assertThrows(InvalidValueException.class, () -> kind.parse(text));
    }

    @ParameterizedTest
    @CsvSource({"536870912, 512mb", "1610612736, 1536mb", "1024, 1kb", "1000, 1000b", "2147483648, 2gb"})
    void formatsWithLargestExactUnitAndRoundTrips(long bytes, String text) throws InvalidValueException {
        assertEquals(text, kind.format(bytes));
        assertEquals(bytes, kind.parse(text));
    }
}

package gevent4j.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NameserverListKindTest {
    private final NameserverListKind kind = NameserverListKind.INSTANCE;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "8.8.8.8 | 8.8.8.8",
            "0.0.0.0 | 0.0.0.0",
            "255.255.255.255 | 255.255.255.255",
            "1.2.3.4:53 | 1.2.3.4:53",
            "1.2.3.4:65535 | 1.2.3.4:65535",
            "::1 | ::1",
            "[::1]:53 | [::1]:53",
            "[::1] | ::1",
            ":: | ::",
            "2001:4860:4860::8888 | 2001:4860:4860::8888",
            "2001:4860:4860:0000:0000:0000:0000:8888 | 2001:4860:4860::8888",
            "2001:DB8:0:0:1:0:0:1 | 2001:db8::1:0:0:1",
            "2001:db8:0:1:1:1:1:1 | 2001:db8:0:1:1:1:1:1",
            "fe80:: | fe80::",
            "1:2:3:4:5:6:7:8 | 1:2:3:4:5:6:7:8",
            "::ffff:192.0.2.1 | ::ffff:192.0.2.1",
            "::FFFF:c000:0201 | ::ffff:192.0.2.1",
            "64:ff9b::192.0.2.33 | 64:ff9b::c000:221",
            "[2001:db8::53]:5353 | [2001:db8::53]:5353",
    })
    void acceptsAndNormalizes(String given, String normalized) throws InvalidValueException {
        assertEquals(List.of(normalized), kind.parse(given));
    }

    @Test
    void listWithCommaOrPlus() throws InvalidValueException {
        assertEquals(List.of("8.8.8.8", "[::1]:53", "1.1.1.1"), kind.parse("8.8.8.8, [::1]:53+1.1.1.1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dns.google", "localhost", "dns.google:53", "example.com."})
    void hostnamesRejectedByName(String entry) {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> kind.parse("8.8.8.8," + entry));
        assertTrue(e.reason().contains("'" + entry + "' is a hostname"), e.reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.4:0", "1.2.3.4:65536", "1.2.3.4:", "1.2.3.4:x", "[::1]:0", "[::1]:", "[::1]:999999"})
    void badPortsRejected(String entry) {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> kind.parse(entry));
        assertTrue(e.reason().startsWith("bad port"), e.reason());
        assertTrue(e.reason().contains("'" + entry + "'"), e.reason());
        assertTrue(e.reason().contains("1 to 65535"), e.reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.256", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1..3.4", "1.2.3.-4", "1.2.3.1000",
            "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1::2::3", ":::", "12345::1", "g::1", "::1%eth0", "[::1",
            "[::1]53", "[1.2.3.4]:53", "1:2:3:4:5:6:7::8", "::1.2.3.256", "1.2.3.4::", "[]", "1.2.3.4/24"})
    void malformedAddressesRejectedNamingTheEntry(String entry) {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> kind.parse(entry));
        assertTrue(e.reason().contains(Text.quote(entry)), e.reason());
    }

    @Test
    void reasonForOutOfRangeOctet() {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> kind.parse("1.2.3.256"));
        assertEquals("malformed nameserver '1.2.3.256': IPv4 number 256 is greater than 255", e.reason());
    }

    @Test
    void duplicatesAfterNormalizationRejected() {
        InvalidValueException e = assertThrows(InvalidValueException.class,
                () -> kind.parse("::1,0:0:0:0:0:0:0:1"));
        assertTrue(e.reason().contains("listed twice"), e.reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ",", "8.8.8.8,"})
    void emptyItemsRejected(String text) {
        assertThrows(InvalidValueException.class, () -> kind.parse(text));
    }
}

package gevent4j.resolver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Which strings {@link HubResolver} answers as IP literals, without a query. */
class HubResolverLiteralTest {

    @Test
    void ipv4LiteralsInEveryFormTheJdkAccepts() {
        assertEquals(InetAddress.ofLiteral("192.0.2.7"), HubResolver.literal("192.0.2.7"));
        assertEquals(InetAddress.ofLiteral("10.0.0.1"), HubResolver.literal("10.1"), "d.d");
        assertEquals(InetAddress.ofLiteral("0.0.0.10"), HubResolver.literal("10"), "d");
    }

    @Test
    void ipv6LiteralsWithAndWithoutBrackets() {
        assertEquals(InetAddress.ofLiteral("::1"), HubResolver.literal("::1"));
        assertEquals(InetAddress.ofLiteral("2001:db8::9"), HubResolver.literal("[2001:db8::9]"));
        assertEquals(InetAddress.ofLiteral("::ffff:192.0.2.7"), HubResolver.literal("::ffff:192.0.2.7"));
    }

    @Test
    void namesAreNotLiteralsWhateverTheirFirstCharacter() {
        for (String name : new String[] {"db.example", "cafe", "abc", "a.b.c.d", "1.2.3.4.example", "1e100.net",
                "12345678901234567890", "1.2.3.4.5", "", ":", "[::1"}) {
            assertNull(HubResolver.literal(name), name);
        }
    }
}

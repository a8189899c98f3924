package gevent4j.resolver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResolvConfTest {
    private static final String FILE = """
            # a comment
            nameserver 10.0.0.1
            nameserver dns.example.com
            nameserver 2001:db8::53
            domain first.example
            search corp.example. lab.example
            options ndots:2 timeout:3 attempts:4 rotate
            nameserver 10.0.0.2
            nameserver 10.0.0.3
            """;

    @Test
    void readsNameserversSearchAndOptionsLikeGlibc() {
        ResolvConf conf = ResolvConf.parse(FILE, Map.of());
        // The hostname is ignored, never resolved; glibc keeps only the first three.
        assertEquals(List.of(new InetSocketAddress("10.0.0.1", 53), new InetSocketAddress("2001:db8::53", 53),
                new InetSocketAddress("10.0.0.2", 53)), conf.servers());
        assertEquals(List.of("corp.example", "lab.example"), conf.search());
        assertEquals(2, conf.ndots());
        assertEquals(Duration.ofSeconds(3), conf.timeout());
        assertEquals(4, conf.attempts());
    }

    @Test
    void defaultsAndCapsAreGlibcs() {
        ResolvConf empty = ResolvConf.parse("", Map.of());
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 53)), empty.servers());
        assertEquals(1, empty.ndots());
        assertEquals(Duration.ofSeconds(5), empty.timeout());
        assertEquals(2, empty.attempts());
        ResolvConf capped = ResolvConf.parse("options ndots:99 timeout:99 attempts:99\n", Map.of());
        assertEquals(15, capped.ndots());
        assertEquals(Duration.ofSeconds(30), capped.timeout());
        assertEquals(5, capped.attempts());
    }

    @Test
    void environmentOverridesTheFile() {
        ResolvConf conf = ResolvConf.parse(FILE, Map.of("LOCALDOMAIN", "env.example", "RES_OPTIONS", "ndots:5"));
        assertEquals(List.of("env.example"), conf.search());
        assertEquals(5, conf.ndots());
        assertEquals(Duration.ofSeconds(3), conf.timeout());
    }

    @Test
    void nameserverOverrideKeepsEverythingElse() {
        ResolvConf conf = ResolvConf.parse(FILE, Map.of())
            .withNameservers(List.of("127.0.0.1:5353", "9.9.9.9", "::1", "[2001:db8::1]:5300", "1.1.1.1", "8.8.8.8"));
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 5353), new InetSocketAddress("9.9.9.9", 53),
                new InetSocketAddress("::1", 53), new InetSocketAddress("2001:db8::1", 5300),
                new InetSocketAddress("1.1.1.1", 53), new InetSocketAddress("8.8.8.8", 53)), conf.servers());
        assertEquals(List.of("corp.example", "lab.example"), conf.search());
        assertEquals(2, conf.ndots());
        assertEquals(Duration.ofSeconds(3), conf.timeout());
        assertEquals(4, conf.attempts());
    }
}

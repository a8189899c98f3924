package gevent4j.resolver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostsFileTest {

    @TempDir
    Path dir;

    @Test
    void answersFromTheFileAndItsLaterContents() throws Exception {
        Path file = Files.writeString(dir.resolve("hosts"), "10.0.0.1 one.test One\n# 10.0.0.9 commented.test\n");
        HostsFile hosts = new HostsFile(file);
        assertEquals(List.of(InetAddress.ofLiteral("10.0.0.1")), hosts.addresses("ONE.test"));
        assertEquals("one.test", hosts.name(InetAddress.ofLiteral("10.0.0.1")));
        assertEquals(List.of(), hosts.addresses("commented.test"));

        Files.writeString(file, "10.0.0.2 one.test\n10.0.0.3 two.test\n");
        // A new modification time, whatever the file system's clock granularity.
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
        assertEquals(List.of(InetAddress.ofLiteral("10.0.0.2")), hosts.addresses("one.test"));
        assertEquals("two.test", hosts.name(InetAddress.ofLiteral("10.0.0.3")));

        Files.delete(file);
        assertEquals(List.of(), hosts.addresses("one.test"));
        assertNull(hosts.name(InetAddress.ofLiteral("10.0.0.3")));
    }

    @Test
    void aMissingFileAnswersNothing() {
        HostsFile hosts = new HostsFile(dir.resolve("absent"));
        assertEquals(List.of(), hosts.addresses("localhost"));
    }
}

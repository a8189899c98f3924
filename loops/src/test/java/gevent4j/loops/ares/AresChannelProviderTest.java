package gevent4j.loops.ares;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.loops.ffi.NativeLibrarySpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The c-ares probe and the nameserver list, without network. Needs libcares.so.2 (libc-ares2). */
class AresChannelProviderTest {

    @Test
    void probesTheInstalledCares() {
        AresChannelProvider provider = new AresChannelProvider();
        assertTrue(provider.isAvailable(), () -> "libcares.so.2 (apt-get install libc-ares2): " + provider.unavailabilityCause());
        assertTrue(provider.describe().startsWith("ares: available (c-ares 1."), provider.describe());
    }

    @Test
    void aMissingLibraryIsUnavailableWithItsInstallHint() {
        AresChannelProvider provider = new AresChannelProvider(AresChannelProvider.Probe.load(
            new NativeLibrarySpec("c-ares", "libcares-missing.so.9", "libc-ares2")));
        assertFalse(provider.isAvailable());
        String message = provider.unavailabilityCause().getMessage();
        assertTrue(message.contains("libcares-missing.so.9") && message.contains("apt-get install libc-ares2"), message);
        assertTrue(provider.describe().startsWith("ares: not available: "), provider.describe());
    }

    @Test
    void nameserversBecomeCaresCsvWithPorts() {
        assertEquals("1.2.3.4:53,1.2.3.4:5353,[0:0:0:0:0:0:0:1]:53,[0:0:0:0:0:0:0:1]:5353",
            AresChannel.csv(List.of("1.2.3.4", "1.2.3.4:5353", "::1", "[::1]:5353")));
    }
}

package gevent4j.loops.libev;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.loop.LoopOptions;
import org.junit.jupiter.api.Test;

/**
 * libev 4.33's io_uring backend aborts the process once it re-registers a descriptor after its
 * submission ring wrapped (reproduced in C against Debian's libev, and by the conformance suite,
 * which it killed). gevent4j therefore refuses it, alone or in a list, with a message that says
 * why; the other backends run the whole conformance suite ({@code Libev*LoopTest}).
 */
class LibevIoUringRefusedTest {

    @Test
    void ioUringIsRefusedWithTheReason() {
        assertRefused(new LibevLoopProvider(), LibevLibrary.defaultProbe());
    }

    @Test
    void ioUringIsRefusedWithTheReasonOnTheFfmBinding() {
        assertRefused(new LibevFfmLoopProvider(), LibevLibrary.defaultFfmProbe());
    }

    private static void assertRefused(LibevProviderBase provider, LibevLibrary.Probe probe) {
        assertNotNull(probe.library(), "libev is missing: install it with 'apt-get install libev4'");
        for (String backend : new String[] {"io_uring", "iouring", "epoll,io_uring"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> provider.create(new LoopOptions(backend, true)).destroy(), backend);
            assertTrue(e.getMessage().contains("io_uring") && e.getMessage().contains("abort"), e.getMessage());
        }
    }
}

package gevent4j.loops.libev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.loop.Loop;
import gevent4j.loop.LoopOptions;
import gevent4j.loops.ffi.NativeLibrarySpec;
import org.junit.jupiter.api.Test;

/** Availability, description and the {@code libev_backend} setting, on the JNR binding ({@code libev}). */
class LibevLoopProviderTest {

    private final LibevProviderBase provider = provider();

    /** The provider under test; {@link LibevFfmLoopProviderTest} overrides these four. */
    LibevProviderBase provider() {
        return new LibevLoopProvider();
    }

    LibevProviderBase provider(LibevLayout.Table table) {
        return new LibevLoopProvider(table);
    }

    LibevLibrary.Probe defaultProbe() {
        return LibevLibrary.defaultProbe();
    }

    LibevLibrary.Binder binder() {
        return LibevJnr::load;
    }

    private String name() {
        return provider.name();
    }

    /** What the FFM binding's description adds around {@code libev 4.33}: it names the loop to select. */
    private String prefix() {
        return name().equals("libev-ffm") ? "libev-ffm: " : "";
    }

    private String suffix() {
        return name().equals("libev-ffm") ? " through java.lang.foreign" : "";
    }

    private LibevLibrary lib() {
        provider.ensureAvailability(); // fails with how to install libev when it is missing
        return defaultProbe().library();
    }

    @Test
    void isAvailableAndDescribesVersionDefaultBackendAndSupportedOnes() {
        LibevLibrary lib = lib();
        assertTrue(provider.isAvailable());
        assertNull(provider.unavailabilityCause());
        assertEquals(name(), provider.name());
        String d = provider.describe();
        assertTrue(d.startsWith(prefix() + "libev " + lib.major + "." + lib.minor + suffix() + ", backend "), d);
        assertTrue(d.matches(prefix() + "libev 4\\.\\d+" + suffix() + ", backend \\w+ \\(usable: [a-z_, ]+(; refused: [a-z_, ]+)?\\)"), d);
        assertTrue(d.contains("backend " + LibevBackends.name(lib.defaultBackend) + " "), d);
        assertTrue(d.contains("(usable: " + LibevBackends.names(lib.supported & ~lib.refused)), d);
    }

    @Test
    void anUnknownBackendNameIsRefusedWithTheNamesLibevKnows() {
        lib();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> provider.create(new LoopOptions("wepoll", true)));
        assertEquals("libev_backend=wepoll: unknown backend; libev knows select, poll, epoll, linuxaio, kqueue, "
            + "devpoll, port, io_uring", e.getMessage());
    }

    @Test
    void aBackendThisBuildLacksIsRefusedWithTheSupportedOnes() {
        LibevLibrary lib = lib();
        for (String name : new String[] {"select", "poll", "epoll", "linuxaio", "kqueue", "devpoll", "port"}) {
            int flag = LibevBackends.parse(name, 0xFF);
            if ((lib.supported & flag) != 0) {
                continue;
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> provider.create(new LoopOptions(name, true)), name);
            assertEquals("libev_backend=" + name + ": this libev build does not support " + name + "; usable here: "
                + LibevBackends.names(lib.supported & ~lib.refused), e.getMessage());
        }
    }

    @Test
    void namesAreCaseInsensitiveAndListsLetLibevChoose() {
        LibevLibrary lib = lib();
        Loop loop = provider.create(new LoopOptions("EPoll", true));
        try {
            assertTrue(loop.describe().startsWith(prefix() + "libev " + lib.major + "." + lib.minor + suffix()
                    + ", backend epoll "),
                loop.describe());
        } finally {
            loop.destroy();
        }
        // libev picks the best of a list: epoll before poll before select.
        Loop chosen = provider.create(new LoopOptions("select,epoll", true));
        try {
            assertTrue(chosen.describe().contains("backend epoll "), chosen.describe());
        } finally {
            chosen.destroy();
        }
        assertEquals(LibevBackends.IOURING, LibevBackends.parse("iouring", LibevBackends.IOURING));
        assertEquals(LibevBackends.EPOLL | LibevBackends.POLL, LibevBackends.parse(" epoll + POLL ", 0xFF));
        assertEquals(0, LibevBackends.parse(null, 0));
    }

    @Test
    void ioUringIsRefusedWithTheReasonWhereLibevWouldAbort() {
        LibevLibrary lib = lib();
        if ((lib.refused & LibevBackends.IOURING) == 0) {
            return; // this libev lacks io_uring (or a future one runs it): nothing refused
        }
        for (String value : new String[] {"io_uring", "epoll,io_uring"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> provider.create(new LoopOptions(value, true)));
            assertTrue(e.getMessage().startsWith("libev_backend=" + value + ": gevent4j does not run libev "),
                e.getMessage());
            assertTrue(e.getMessage().contains("io_uring_enter did not consume all sqes"), e.getMessage());
            assertTrue(e.getMessage().endsWith("usable here: " + LibevBackends.names(lib.supported & ~lib.refused)),
                e.getMessage());
        }
    }

    @Test
    void aVersionWithoutAVerifiedLayoutMakesTheLoopUnavailable() {
        lib();
        // The table is consulted before any watcher memory reaches libev: nothing native is touched.
        LibevProviderBase unknown = provider((major, minor, arch) -> null);
        assertFalse(unknown.isAvailable());
        String message = unknown.unavailabilityCause().getMessage();
        assertTrue(message.startsWith("libev 4."), message);
        assertTrue(message.contains("has no verified struct layout"), message);
        assertTrue(message.contains("apt-get install libev4"), message);
        assertTrue(message.contains("so the " + name() + " loop is not used"), message);
        assertTrue(unknown.describe().startsWith(name() + ": not available: libev 4."), unknown.describe());
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> unknown.create(LoopOptions.defaults()));
        assertTrue(e.getMessage().startsWith("loop " + name() + " is not available: libev 4."), e.getMessage());
    }

    @Test
    void theKnownLayoutTableAdmitsOnlyCheckedVersionsAndCpus() {
        assertEquals(LibevLayout.LP64_V4, LibevLayout.KNOWN.lookup(4, 33, "amd64"));
        assertEquals(LibevLayout.LP64_V4, LibevLayout.KNOWN.lookup(4, 22, "aarch64"));
        assertNull(LibevLayout.KNOWN.lookup(4, 34, "amd64"), "a newer libev must be checked first");
        assertNull(LibevLayout.KNOWN.lookup(5, 0, "amd64"));
        assertNull(LibevLayout.KNOWN.lookup(4, 33, "x86"), "32-bit layouts differ");
        assertNull(LibevLayout.KNOWN.lookup(4, 33, "riscv64"), "not checked");
        assertEquals(40, LibevLayout.LP64_V4.asyncSize(), "the C size, not jnr.ffi.Struct's 36");
    }

    @Test
    void aMissingLibraryNamesItselfAndHowToInstallIt() {
        LibevLibrary.Probe probe = LibevLibrary.probe(binder(),
            new NativeLibrarySpec("libev", "libgevent4j-no-such-libev.so.4", "libev4"), LibevLayout.KNOWN);
        assertNull(probe.library());
        String message = probe.cause().getMessage();
        assertTrue(message.startsWith("libgevent4j-no-such-libev.so.4 could not be loaded"), message);
        assertTrue(message.contains("apt-get install libev4"), message);
    }
}

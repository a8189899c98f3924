package gevent4j.loops.libuv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import gevent4j.loop.Loop;
import gevent4j.loop.LoopOptions;
import gevent4j.loop.RunMode;
import gevent4j.loops.ffi.NativeLibrarySpec;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Availability, description and layout checks, on the JNR binding ({@code libuv}); {@link LibuvFfmLoopProviderTest} on FFM. */
class LibuvLoopProviderTest {

    LibuvProviderBase provider() {
        return new LibuvLoopProvider();
    }

    LibuvProviderBase provider(LibuvProbe probe) {
        return new LibuvLoopProvider(probe);
    }

    LibuvProbe probe() {
        return LibuvProbe.get();
    }

    LibuvProbe.Binder binder() {
        return LibuvJnr::load;
    }


    /** What libuv 1.44.2 on x86_64 reports; the base of the broken layouts below. */
    private static final LibuvLayout GOOD = new LibuvLayout(1 << 16 | 44 << 8 | 2, "1.44.2", 8, 848, 160, 152, 128,
        "poll", "timer", "async", true, "epoll", true);

    /** Fails (never skips) on a machine without libuv, saying how to install it. */
    private LibuvProviderBase available() {
        LibuvProviderBase provider = provider();
        if (!provider.isAvailable()) {
            fail("libuv is not available (install the libuv1 package): " + provider.unavailabilityCause().getMessage(),
                provider.unavailabilityCause());
        }
        return provider;
    }

    @Test
    void describeNamesTheVersionAndTheBackend() {
        LibuvProviderBase provider = available();
        String name = provider().name();
        assertNull(provider.unavailabilityCause());
        String version = probe().uv().uv_version_string();
        String library = name.equals("libuv-ffm") ? "libuv-ffm: libuv " + version + " through java.lang.foreign"
            : "libuv " + version;
        assertEquals(library + ", backend epoll", provider.describe());
        assertTrue(version.matches("1\\.\\d+\\.\\d+.*"), version);
        Loop loop = provider.create(LoopOptions.defaults());
        try {
            assertEquals(name, loop.name());
            assertTrue(loop.describe().startsWith(provider.describe()), loop.describe());
        } finally {
            loop.destroy();
        }
    }

    @Test
    void theRealLayoutPassesItsChecks() {
        available();
        LibuvLayout layout = probe().layout();
        assertNull(layout.problem());
        assertTrue(layout.dataAtOffsetZero());
        assertTrue(layout.epollEventAsExpected());
        assertEquals("epoll", layout.backend());
        assertEquals(layout.versionString(), layout.versionName());
    }

    @Test
    void theLibevBackendSettingIsIgnored() {
        Loop loop = available().create(new LoopOptions("select", true));
        try {
            assertFalse(loop.run(RunMode.NOWAIT));
        } finally {
            loop.destroy();
        }
    }

    @Test
    void aMissingLibraryNamesItselfAndHowToInstallIt() {
        LibuvProbe probe = LibuvProbe.load(binder(), new NativeLibrarySpec("libuv", "libgevent4j-no-libuv.so.1", "libuv1"));
        LibuvProviderBase provider = provider(probe);
        assertFalse(provider.isAvailable());
        String message = provider.unavailabilityCause().getMessage();
        assertTrue(message.startsWith("libgevent4j-no-libuv.so.1 could not be loaded"), message);
        assertTrue(message.contains("apt-get install libuv1"), message);
        assertTrue(provider.describe().startsWith(provider.name() + ": not available: "), provider.describe());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> provider.create(LoopOptions.defaults()));
        assertTrue(e.getMessage().contains("apt-get install libuv1"), e.getMessage());
    }

    @Test
    void aLayoutMismatchMakesTheLoopUnavailableWithAReason() {
        assertNull(GOOD.problem());
        assertUnusable(l -> with(l, "data", false), "uv_handle_t.data is not at offset 0");
        assertUnusable(l -> with(l, "loopSize", 0L), "uv_loop_size() returned 0");
        assertUnusable(l -> with(l, "loopSize", 1L << 40), "uv_loop_size() returned 1099511627776");
        assertUnusable(l -> with(l, "pollSize", 8L), "uv_handle_size(UV_POLL) returned 8");
        assertUnusable(l -> with(l, "asyncSize", 1L << 20), "uv_handle_size(UV_ASYNC) returned 1048576");
        assertUnusable(l -> with(l, "timerTypeName", "tty"), "the handle type numbering differs");
        assertUnusable(l -> with(l, "addressSize", 4), "needs 64-bit pointers");
        assertUnusable(l -> with(l, "version", 1 << 16 | 33 << 8), "needs libuv 1.34 or later");
        assertUnusable(l -> with(l, "version", 2 << 16), "needs libuv 1.34 or later");
        assertUnusable(l -> with(l, "backend", "anon_inode:[io_uring]"), "backend is anon_inode:[io_uring]");
        assertUnusable(l -> with(l, "epoll", false), "struct epoll_event is not laid out as gevent4j expects");
    }

    private void assertUnusable(UnaryOperator<LibuvLayout> breakIt, String expected) {
        LibuvLayout broken = breakIt.apply(GOOD);
        LibuvProviderBase provider = provider(LibuvProbe.check(null, null, broken));
        assertFalse(provider.isAvailable(), expected);
        String message = provider.unavailabilityCause().getMessage();
        assertTrue(message.contains(expected), message);
        assertTrue(message.startsWith("libuv.so.1 (1.44.2) cannot be used: "), message);
        assertTrue(message.contains("apt-get install libuv1"), message);
        assertThrows(IllegalStateException.class, () -> provider.create(LoopOptions.defaults()));
    }

    private static LibuvLayout with(LibuvLayout l, String field, Object value) {
        return new LibuvLayout(
            field.equals("version") ? (int) value : l.version(), l.versionString(),
            field.equals("addressSize") ? (int) value : l.addressSize(),
            field.equals("loopSize") ? (long) value : l.loopSize(),
            field.equals("pollSize") ? (long) value : l.pollSize(),
            l.timerSize(),
            field.equals("asyncSize") ? (long) value : l.asyncSize(),
            l.pollTypeName(),
            field.equals("timerTypeName") ? (String) value : l.timerTypeName(),
            l.asyncTypeName(),
            field.equals("data") ? (boolean) value : l.dataAtOffsetZero(),
            field.equals("backend") ? (String) value : l.backend(),
            field.equals("epoll") ? (boolean) value : l.epollEventAsExpected());
    }
}

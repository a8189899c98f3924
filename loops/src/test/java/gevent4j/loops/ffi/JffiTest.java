package gevent4j.loops.ffi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JffiTest {

    public interface LibC {
        int getpid();
    }

    public interface Missing {
        int gevent4j_no_such_function();
    }

    @Test
    void loadsALibraryEagerly() throws Exception {
        LibC libc = Jffi.load(LibC.class, new NativeLibrarySpec("libc", "libc.so.6", "libc6"));
        assertEquals(ProcessHandle.current().pid(), libc.getpid());
    }

    @Test
    void aMissingLibraryNamesItselfAndHowToInstallIt() {
        NativeLibrarySpec spec = new NativeLibrarySpec("libnothing", "libgevent4j-nothing.so.7", "libnothing7");
        NativeLibraryUnavailableException e = assertThrows(NativeLibraryUnavailableException.class,
            () -> Jffi.load(Missing.class, spec));
        assertTrue(e.getMessage().startsWith("libgevent4j-nothing.so.7 could not be loaded"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install libnothing7"), e.getMessage());
    }

    @Test
    void aMissingSymbolIsReportedAtLoadNotAtFirstCall() {
        NativeLibrarySpec spec = new NativeLibrarySpec("libc", "libc.so.6", "libc6");
        NativeLibraryUnavailableException e = assertThrows(NativeLibraryUnavailableException.class,
            () -> Jffi.load(Missing.class, spec));
        assertTrue(e.getMessage().contains("gevent4j_no_such_function"), e.getMessage());
    }
}

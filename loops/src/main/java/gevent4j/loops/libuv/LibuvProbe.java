package gevent4j.loops.libuv;

import gevent4j.loops.ffi.NativeLibrarySpec;
import gevent4j.loops.ffi.NativeLibraryUnavailableException;

/**
 * Whether libuv can be used here, decided once per JVM and binding (JNR or FFM): the library loads
 * (every function the binding declares exists), it is 1.34 or later, and its layout passes
 * {@link LibuvLayout#problem()}. Either the bindings and layout are usable, or {@link #cause()}
 * says why not, naming the library and how to install it.
 */
final class LibuvProbe {

    static final NativeLibrarySpec LIBUV = new NativeLibrarySpec("libuv", "libuv.so.1", "libuv1");
    static final NativeLibrarySpec LIBC = new NativeLibrarySpec("libc", "libc.so.6", "libc6");

    private final Libuv uv;
    private final Libc libc;
    private final LibuvLayout layout;
    private final Throwable cause;

    private LibuvProbe(Libuv uv, Libc libc, LibuvLayout layout, Throwable cause) {
        this.uv = uv;
        this.libc = libc;
        this.layout = layout;
        this.cause = cause;
    }

    /** A binding's two halves: libuv and the libc calls the loop makes itself. */
    record Bindings(Libuv uv, Libc libc) {
    }

    /** How a binding loads {@code spec} (libuv) and libc. */
    @FunctionalInterface
    interface Binder {
        Bindings load(NativeLibrarySpec spec) throws NativeLibraryUnavailableException;
    }

    private static final class JnrHolder {
        static final LibuvProbe INSTANCE = load(LibuvJnr::load, LIBUV);
    }

    private static final class FfmHolder {
        static final LibuvProbe INSTANCE = load(LibuvFfm::load, LIBUV);
    }

    /** The JNR binding's probe of this JVM, made on first use. */
    static LibuvProbe get() {
        return JnrHolder.INSTANCE;
    }

    /** The FFM binding's probe of this JVM, made on first use. */
    static LibuvProbe ffm() {
        return FfmHolder.INSTANCE;
    }

    /** Loads {@code libuv} through {@code binder} (the real {@link #LIBUV}, or another name in tests) and checks it. */
    static LibuvProbe load(Binder binder, NativeLibrarySpec libuv) {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return failed(new UnsupportedOperationException("gevent4j's libuv loop supports Linux (epoll) only, not "
                + System.getProperty("os.name")));
        }
        try {
            Bindings bindings = binder.load(libuv);
            return check(bindings.uv(), bindings.libc(), LibuvLayout.read(bindings.uv(), bindings.libc()));
        } catch (NativeLibraryUnavailableException e) {
            return failed(e);
        } catch (LinkageError | RuntimeException e) {
            String message = String.valueOf(e);
            int newline = message.indexOf('\n');
            return failed(new NativeLibraryUnavailableException(libuv.soname() + " could not be probed ("
                + (newline < 0 ? message : message.substring(0, newline)) + "); " + libuv.installHint(), e));
        }
    }

    /**
     * The verdict on a layout: usable, or unavailable with the reason. Separate from {@link #load}
     * so that tests can hand in a layout without touching native memory.
     */
    static LibuvProbe check(Libuv uv, Libc libc, LibuvLayout layout) {
        String problem = layout.problem();
        if (problem != null) {
            return failed(new NativeLibraryUnavailableException(LIBUV.soname() + " (" + layout.versionString()
                + ") cannot be used: " + problem + "; " + LIBUV.installHint()));
        }
        return new LibuvProbe(uv, libc, layout, null);
    }

    private static LibuvProbe failed(Throwable cause) {
        return new LibuvProbe(null, null, null, cause);
    }

    /** Why libuv cannot be used, or null when it can. */
    Throwable cause() {
        return cause;
    }

    Libuv uv() {
        return uv;
    }

    Libc libc() {
        return libc;
    }

    LibuvLayout layout() {
        return layout;
    }

    /** One line for {@code info}: library version and backend; {@code name} says which loop when unavailable. */
    String describe(String name) {
        if (cause != null) {
            return name + ": not available: " + cause.getMessage();
        }
        return uv.describe(layout.versionString()) + ", backend " + layout.backend();
    }
}

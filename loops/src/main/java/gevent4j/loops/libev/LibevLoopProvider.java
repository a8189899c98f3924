package gevent4j.loops.libev;

import gevent4j.loop.Loop;
import gevent4j.loop.LoopOptions;
import gevent4j.loop.LoopProvider;

/**
 * The {@code libev} loop: libev 4 ({@code libev.so.4}, Debian's {@code libev4}) through JNR-FFI.
 * Availability is probed once per process: the library loads, its version has a known watcher
 * layout, and that layout holds when libev writes to it ({@link LibevLayoutCheck}).
 *
 * <p>{@link LoopOptions#backend()} is the {@code libev_backend} setting: one of libev's backend
 * names, or several separated by commas for libev to choose from; null lets libev choose among its
 * recommended ones. {@link LoopOptions#watchChildren()} does not apply: no libev loop here ever
 * watches children (that needs libev's default loop, whose SIGCHLD handler races the JDK's reaper).
 */
public final class LibevLoopProvider implements LoopProvider {

    private final LibevLibrary.Probe probe;

    public LibevLoopProvider() {
        this(LibevLibrary.defaultProbe());
    }

    /** For tests: a provider probed against another layout table. */
    LibevLoopProvider(LibevLayout.Table table) {
        this(LibevLibrary.probe(table));
    }

    private LibevLoopProvider(LibevLibrary.Probe probe) {
        this.probe = probe;
    }

    @Override
    public String name() {
        return "libev";
    }

    @Override
    public boolean isAvailable() {
        return probe.cause() == null;
    }

    @Override
    public Throwable unavailabilityCause() {
        return probe.cause();
    }

    /** {@code libev 4.33, backend epoll (supported: select, poll, epoll, io_uring)}: the default backend. */
    @Override
    public String describe() {
        LibevLibrary lib = probe.library();
        return lib == null ? "libev: not available: " + probe.cause().getMessage() : lib.describe(lib.defaultBackend);
    }

    /**
     * @throws IllegalArgumentException when {@code options.backend()} names a backend libev does not
     *     know, this build lacks, or this kernel refuses
     */
    @Override
    public Loop create(LoopOptions options) {
        ensureAvailability();
        return new LibevLoop(probe.library(), options.backend());
    }
}

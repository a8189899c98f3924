package gevent4j.loops.libev;

import gevent4j.loop.Loop;
import gevent4j.loop.LoopOptions;
import gevent4j.loop.LoopProvider;

/**
 * What the {@code libev} and {@code libev-ffm} providers share: one probe of libev through their
 * binding, and the same loop on top of it. Availability is probed once per process and binding:
 * the library loads, its version has a known watcher layout, and that layout holds when libev
 * writes to it ({@link LibevLayoutCheck}).
 *
 * <p>{@link LoopOptions#backend()} is the {@code libev_backend} setting: one of libev's backend
 * names, or several separated by commas for libev to choose from; null lets libev choose among its
 * recommended ones. {@link LoopOptions#watchChildren()} does not apply: no libev loop here ever
 * watches children (that needs libev's default loop, whose SIGCHLD handler races the JDK's reaper).
 */
abstract sealed class LibevProviderBase implements LoopProvider permits LibevLoopProvider, LibevFfmLoopProvider {

    private final String name;
    private final LibevLibrary.Probe probe;

    LibevProviderBase(String name, LibevLibrary.Probe probe) {
        this.name = name;
        this.probe = probe;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final boolean isAvailable() {
        return probe.cause() == null;
    }

    @Override
    public final Throwable unavailabilityCause() {
        return probe.cause();
    }

    /** {@code libev 4.33, backend epoll (usable: select, poll, epoll; refused: io_uring)}: the default backend. */
    @Override
    public final String describe() {
        LibevLibrary lib = probe.library();
        return lib == null ? name + ": not available: " + probe.cause().getMessage() : lib.describe(lib.defaultBackend);
    }

    /**
     * @throws IllegalArgumentException when {@code options.backend()} names a backend libev does not
     *     know, this build lacks, or this kernel refuses
     */
    @Override
    public final Loop create(LoopOptions options) {
        ensureAvailability();
        return new LibevLoop(probe.library(), options.backend(), true);
    }

    /** A loop that bounds its waits with an ev_timer, as where the kernel refuses a timerfd (tests). */
    final Loop createWithMillisecondTimers(LoopOptions options) {
        ensureAvailability();
        return new LibevLoop(probe.library(), options.backend(), false);
    }
}

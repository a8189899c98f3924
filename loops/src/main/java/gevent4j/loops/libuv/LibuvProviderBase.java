package gevent4j.loops.libuv;

import gevent4j.loop.Loop;
import gevent4j.loop.LoopOptions;
import gevent4j.loop.LoopProvider;

/**
 * What the {@code libuv} and {@code libuv-ffm} providers share: one probe of libuv through their
 * binding (library, version, handle layout, epoll backend), and the same loop on top of it. The
 * {@code libev_backend} setting ({@link LoopOptions#backend()}) does not apply: libuv always uses
 * epoll on Linux.
 */
abstract sealed class LibuvProviderBase implements LoopProvider permits LibuvLoopProvider, LibuvFfmLoopProvider {

    private final String name;
    private final LibuvProbe probe;

    LibuvProviderBase(String name, LibuvProbe probe) {
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

    @Override
    public final String describe() {
        return probe.describe(name);
    }

    @Override
    public final Loop create(LoopOptions options) {
        ensureAvailability();
        return new LibuvLoop(probe, true);
    }

    /** A loop that bounds its waits with libuv's millisecond timer, as where the kernel refuses a timerfd (tests). */
    final Loop createWithMillisecondTimers() {
        ensureAvailability();
        return new LibuvLoop(probe, false);
    }
}

package gevent4j.loops.libuv;

import gevent4j.loop.Loop;
import gevent4j.loop.LoopOptions;
import gevent4j.loop.LoopProvider;

/**
 * The {@code libuv} loop: the system's libuv 1.x ({@code libuv.so.1}, Debian/Ubuntu package
 * {@code libuv1}) through JNR-FFI. Probed once per JVM (library, version, handle layout, epoll
 * backend). The {@code libev_backend} setting ({@link LoopOptions#backend()}) does not apply:
 * libuv always uses epoll on Linux.
 */
public final class LibuvLoopProvider implements LoopProvider {

    private final LibuvProbe probe;

    public LibuvLoopProvider() {
        this(LibuvProbe.get());
    }

    LibuvLoopProvider(LibuvProbe probe) {
        this.probe = probe;
    }

    @Override
    public String name() {
        return "libuv";
    }

    @Override
    public boolean isAvailable() {
        return probe.cause() == null;
    }

    @Override
    public Throwable unavailabilityCause() {
        return probe.cause();
    }

    @Override
    public String describe() {
        return probe.describe();
    }

    @Override
    public Loop create(LoopOptions options) {
        ensureAvailability();
        return new LibuvLoop(probe);
    }
}

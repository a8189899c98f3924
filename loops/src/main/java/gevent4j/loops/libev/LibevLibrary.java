package gevent4j.loops.libev;

import gevent4j.loops.common.NativeAccess;
import gevent4j.loops.ffi.NativeLibrarySpec;
import gevent4j.loops.ffi.NativeLibraryUnavailableException;

/**
 * libev through one {@link LibevBinding}, loaded and checked once per process and binding (Netty's
 * {@code Epoll} probe): the library loads, its version has a known struct layout
 * ({@link LibevLayout}), and that layout holds behaviourally ({@link LibevLayoutCheck}). Anything
 * that fails makes the loop unavailable with a message naming the library and how to install it;
 * nothing is assumed. The same checks run for the JNR and the FFM binding: they see the same
 * library through different glue.
 */
final class LibevLibrary {

    static final NativeLibrarySpec LIBEV = new NativeLibrarySpec("libev", "libev.so.4", "libev4");
    static final NativeLibrarySpec LIBC = new NativeLibrarySpec("libc", "libc.so.6", "libc6");

    // ev.h event bits.
    static final int EV_READ = 0x01;
    static final int EV_WRITE = 0x02;
    /** ev_io_set ORs this in so that the next start re-registers the descriptor with the kernel. */
    static final int EV__IOFDSET = 0x80;
    static final int EV_TIMER = 0x100;
    static final int EV_ASYNC = 0x80000;
    /** Sent with READ|WRITE when libev gave up on a descriptor (fd_kill): the watcher was stopped. */
    static final int EV_ERROR = 0x80000000;

    static final int EVRUN_NOWAIT = 1;
    static final int EVRUN_ONCE = 2;

    /**
     * Flags of every loop. {@code EVFLAG_NOENV}: LIBEV_FLAGS in the environment must not override
     * the configured backend. {@code EVFLAG_NOSIGMASK}: the JVM owns the signal mask; in 4.33 the
     * flag only matters inside ev_signal_start/stop, which gevent4j never calls, so it is a promise
     * kept for future versions. {@code EVFLAG_NOINOTIFY}, {@code EVFLAG_NOTIMERFD}: no ev_stat and no
     * ev_periodic here, so libev must not create an inotify or timerfd descriptor for them. Not set:
     * {@code EVFLAG_SIGNALFD} (would only matter for signal watchers, and would block the signals it
     * watches) and {@code EVFLAG_FORKCHECK} (a getpid() per iteration; the JVM does not fork).
     * Children are never watched: only ev_default_loop installs a SIGCHLD handler (which would race
     * the JDK's process reaper), and every loop here comes from ev_loop_new.
     */
    static final int LOOP_FLAGS = 0x01000000 | 0x00400000 | 0x00100000 | 0x00800000;

        final LibevBinding ev;
    final NativeAccess mem;
    final LibevLayout layout;
    final int major;
    final int minor;
    final int supported;
    final int recommended;
    /** The backend libev picks when none is configured, seen on the probe loop. */
    final int defaultBackend;
    /** Backends this build has that gevent4j refuses to run, and why ({@link #refusal}). */
    final int refused;
    final String refusal;

    private LibevLibrary(LibevBinding ev, LibevLayout layout, int major, int minor, int defaultBackend) {
        this.ev = ev;
        this.mem = ev.memory();
        this.layout = layout;
        this.major = major;
        this.minor = minor;
        this.supported = ev.ev_supported_backends();
        this.recommended = ev.ev_recommended_backends();
        this.defaultBackend = defaultBackend;
        // libev 4.33's io_uring backend (ev_iouring.c) aborts the process: its POLL_REMOVE sets only
        // opcode/fd/addr/user_data, so on a submission slot that last held a POLL_ADD it carries
        // stale poll events; the kernel refuses that request and stops submitting, and libev asserts
        // "io_uring_enter did not consume all sqes" whenever a watched descriptor is re-registered
        // (remove + add in one submission). A lone refused remove is no better: the old poll stays
        // armed, holding a reference to the file of a descriptor the application closed. Reproduced
        // with a small C program against Debian's libev4 on Linux 6.18, once the ring has wrapped.
        boolean brokenIoUring = major == 4 && minor <= LibevLayout.NEWEST_KNOWN_MINOR;
        this.refused = brokenIoUring ? supported & LibevBackends.IOURING : 0;
        this.refusal = "gevent4j does not run libev " + major + "." + minor + "'s io_uring backend: it aborts the "
            + "process when a watched descriptor is re-registered or closed (its POLL_REMOVE requests reuse "
            + "submission slots with stale poll events, the kernel rejects them, and libev asserts \"io_uring_enter "
            + "did not consume all sqes\"); use epoll";
    }

    /** The outcome of probing: a usable library, or why there is none. */
    record Probe(LibevLibrary library, Throwable cause) {
    }

    /** How a binding loads {@code spec} (libev) and libc. */
    @FunctionalInterface
    interface Binder {
        LibevBinding load(NativeLibrarySpec spec) throws NativeLibraryUnavailableException;
    }

    /** The process-wide probe of the JNR binding against the known layouts, run once on first use. */
    static Probe defaultProbe() {
        return JnrProbe.PROBE;
    }

    /** The process-wide probe of the FFM binding, run once on first use. */
    static Probe defaultFfmProbe() {
        return FfmProbe.PROBE;
    }

    private static final class JnrProbe {
        static final Probe PROBE = probe(LibevJnr::load, LibevLayout.KNOWN);
    }

    private static final class FfmProbe {
        static final Probe PROBE = probe(LibevFfm::load, LibevLayout.KNOWN);
    }

    /** Loads and checks libev through {@code binder} against {@code table}; never throws. */
    static Probe probe(Binder binder, LibevLayout.Table table) {
        return probe(binder, LIBEV, table);
    }

    /** As {@link #probe(Binder, LibevLayout.Table)}, loading {@code spec} (tests name a missing library). */
    static Probe probe(Binder binder, NativeLibrarySpec spec, LibevLayout.Table table) {
        try {
            return new Probe(load(binder, spec, table), null);
        } catch (NativeLibraryUnavailableException e) {
            return new Probe(null, e);
        } catch (Throwable t) {
            return new Probe(null, new NativeLibraryUnavailableException(spec.soname()
                + " could not be initialised (" + t + "); " + spec.installHint(), t));
        }
    }

    private static LibevLibrary load(Binder binder, NativeLibrarySpec spec, LibevLayout.Table table)
            throws NativeLibraryUnavailableException {
        LibevBinding ev = binder.load(spec);
        int major = ev.ev_version_major();
        int minor = ev.ev_version_minor();
        String arch = System.getProperty("os.arch", "unknown");
        // The table is consulted before any watcher memory is handed to libev.
        LibevLayout layout = table.lookup(major, minor, arch);
        if (layout == null) {
            throw new NativeLibraryUnavailableException("libev " + major + "." + minor + " on " + arch
                + " has no verified struct layout (gevent4j knows libev 4.0 to 4." + LibevLayout.NEWEST_KNOWN_MINOR
                + " on x86_64 and aarch64), so the " + ev.loopName() + " loop is not used; install a known version with '"
                + "apt-get install " + LIBEV.debianPackage() + "' or choose another loop");
        }
        LibevSyserr.install(ev);
        int defaultBackend = LibevLayoutCheck.verify(ev, layout, major + "." + minor);
        return new LibevLibrary(ev, layout, major, minor, defaultBackend);
    }

    /**
     * {@code libev 4.33, backend epoll (usable: select, poll, epoll; refused: io_uring)}, or
     * {@code libev-ffm: libev 4.33 through java.lang.foreign, backend epoll (...)}.
     */
    String describe(int backend) {
        return ev.describe(major, minor) + ", backend " + LibevBackends.name(backend)
            + " (usable: " + LibevBackends.names(supported & ~refused)
            + ((supported & refused) == 0 ? "" : "; refused: " + LibevBackends.names(supported & refused)) + ")";
    }
}

package gevent4j.loops.libev;

import java.util.Locale;

/**
 * Where the fields of the three libev watcher structs this loop writes live: {@code ev_io},
 * {@code ev_timer} and {@code ev_async}. ev.h initialises watchers with macros ({@code ev_init},
 * {@code ev_io_set}, {@code ev_timer_set}), so there is no function to call: the loop writes the
 * fields itself and must know the layout of the library it loaded.
 *
 * <p>A layout is never assumed. {@link Table#lookup} admits only versions and CPUs whose layout was
 * checked, and {@link LibevLibrary} then confirms it behaviourally against the loaded library before
 * the loop is declared available (what libev writes back must land where this record says).
 *
 * @param ioSize {@code sizeof(ev_io)}
 * @param timerSize {@code sizeof(ev_timer)}
 * @param asyncSize {@code sizeof(ev_async)}: 40, not the 36 that {@code jnr.ffi.Struct} computes
 *     (the C struct is padded to the alignment of its pointer fields)
 * @param active {@code EV_WATCHER}'s {@code int active}
 * @param pending {@code int pending}
 * @param priority {@code int priority}
 * @param data {@code void *data}
 * @param cb the callback pointer
 * @param ioFd {@code ev_io.fd}
 * @param ioEvents {@code ev_io.events} ({@code ev_io_set} ORs in {@code EV__IOFDSET})
 * @param timerAt {@code ev_timer.at} (an {@code ev_tstamp}, a double)
 * @param timerRepeat {@code ev_timer.repeat}
 * @param asyncSent {@code ev_async.sent}
 */
record LibevLayout(int ioSize, int timerSize, int asyncSize, int active, int pending, int priority, int data,
                   int cb, int ioFd, int ioEvents, int timerAt, int timerRepeat, int asyncSent) {

    /**
     * libev 4.x on LP64 (x86_64, aarch64), measured on Debian's libev 4.33 and unchanged in ev.h
     * throughout the 4.x series: {@code EV_WATCHER} is {@code int active, pending, priority; void *data;
     * void (*cb)()}, followed by each kind's own fields.
     */
    static final LibevLayout LP64_V4 = new LibevLayout(48, 48, 40, 0, 4, 8, 16, 24, 40, 44, 32, 40, 32);

    /** The newest libev minor version whose layout was checked (4.33, the current release). */
    static final int NEWEST_KNOWN_MINOR = 33;

    /** Maps a library version and CPU to its layout; injectable so tests can refuse a version. */
    @FunctionalInterface
    interface Table {
        /** The layout of libev {@code major.minor} on {@code arch} ({@code os.arch}), or null when unknown. */
        LibevLayout lookup(int major, int minor, String arch);
    }

    /** The layouts gevent4j knows. */
    static final Table KNOWN = (major, minor, arch) -> {
        String a = arch.toLowerCase(Locale.ROOT);
        boolean lp64 = a.equals("amd64") || a.equals("x86_64") || a.equals("aarch64");
        return major == 4 && minor >= 0 && minor <= NEWEST_KNOWN_MINOR && lp64 ? LP64_V4 : null;
    };
}

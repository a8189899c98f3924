package gevent4j.loops.libev;

import gevent4j.loops.common.NativeAccess;
import gevent4j.loops.common.TimerFd;

/**
 * How the libev loop reaches libev: the libev functions it calls, the few libc calls it needs,
 * native memory, and C function pointers that call back into Java. Two implementations:
 * {@link LibevJnr} (JNR-FFI, loop {@code libev}) and {@link LibevFfm} (java.lang.foreign, loop
 * {@code libev-ffm}). Everything else (layouts and their check, backends, descriptors, dispatch,
 * syserr routing) is shared, so the two loops differ only in what crossing into C and back costs.
 *
 * <p>Pointers cross as {@code long} addresses (LP64 only, which the layout table enforces), so that
 * no call on a hot path allocates. Functions keep libev's and libc's names, so that each line of
 * the loop reads as the C call it makes.
 */
interface LibevBinding extends TimerFd.Syscalls {

    /** The loop's name: {@code libev} or {@code libev-ffm}. */
    String loopName();

    /**
     * The start of the loop's description, naming the library version:
     * {@code libev 4.33} for JNR (the original {@code libev} loop), and for FFM
     * {@code libev-ffm: libev 4.33 through java.lang.foreign}, so that it names the loop to select.
     */
    String describe(int major, int minor);

    /** Native memory as this binding reads and writes it. */
    NativeAccess memory();

    // ---- libev ----------------------------------------------------------------------------------

    int ev_version_major();

    int ev_version_minor();

    int ev_supported_backends();

    int ev_recommended_backends();

    long ev_loop_new(int flags);

    void ev_loop_destroy(long loop);

    int ev_backend(long loop);

    /** Calls back into Java (watcher callbacks, syserr) before it returns. */
    int ev_run(long loop, int flags);

    void ev_now_update(long loop);

    int ev_iteration(long loop);

    int ev_pending_count(long loop);

    void ev_io_start(long loop, long watcher);

    void ev_io_stop(long loop, long watcher);

    void ev_timer_start(long loop, long watcher);

    void ev_timer_stop(long loop, long watcher);

    double ev_timer_remaining(long loop, long watcher);

    void ev_async_start(long loop, long watcher);

    void ev_async_stop(long loop, long watcher);

    /** The only call made from threads other than the loop's. */
    void ev_async_send(long loop, long watcher);

    /** Installs libev's process-wide syserr callback; it must stay callable for the process's life. */
    void ev_set_syserr_cb(SyserrCallback callback);

    /** A scope of watcher callbacks (C function pointers into Java), released by {@link Upcalls#close}. */
    Upcalls newUpcalls();

    // ---- libc ------------------------------------------------------------------------------------

    /** statx(2): 0, or minus the errno it failed with. */
    int statx(int dirfd, long pathname, int flags, int mask, long statxbuf);

    long __errno_location();

    /** strerror(3)'s static string. */
    long strerror(int errnum);

    /** pipe(2) into the two ints at {@code fds}. */
    int pipe(long fds);

    long write(int fd, long buf, long count);

    @Override
    int close(int fd);

    // timerfd_create and timerfd_settime: from TimerFd.Syscalls, for the loop's deadline timer.

    // ---- callbacks -------------------------------------------------------------------------------

    /**
     * Every libev watcher callback: {@code void (*)(struct ev_loop *, ev_TYPE *, int revents)}.
     * Implementations catch every Throwable themselves and route it to their loop's error
     * handling: nothing may unwind into libev (under FFM it would end the JVM).
     */
    @FunctionalInterface
    interface EvCallback {
        void invoke(long loop, long watcher, int revents);
    }

    /** {@code ev_set_syserr_cb}'s {@code void (*)(const char *msg)}; must not throw either. */
    @FunctionalInterface
    interface SyserrCallback {
        void invoke(long message);
    }

    /** Watcher callbacks that stay callable from C until {@link #close()}: a loop's or a probe's. */
    interface Upcalls extends AutoCloseable {
        /** A C function pointer that calls {@code callback}. */
        long pointer(EvCallback callback);

        /** After libev can no longer call any of them (ev_loop_destroy). */
        @Override
        void close();
    }
}

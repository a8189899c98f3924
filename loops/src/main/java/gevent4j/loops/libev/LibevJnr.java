package gevent4j.loops.libev;

import gevent4j.loops.common.JffiAccess;
import gevent4j.loops.common.NativeAccess;
import gevent4j.loops.ffi.Jffi;
import gevent4j.loops.ffi.NativeLibrarySpec;
import gevent4j.loops.ffi.NativeLibraryUnavailableException;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.annotations.Delegate;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.provider.ClosureManager;

/**
 * libev bound through JNR-FFI: the {@code libev} loop. Watcher memory goes through jffi
 * ({@link JffiAccess}) and callbacks are JNR closures, which jffi's native stub calls through JNI.
 */
final class LibevJnr implements LibevBinding {

    /** libev functions used by the loop. Every method's symbol is checked at load ({@link Jffi#load}). */
    public interface Api {
        int ev_version_major();

        int ev_version_minor();

        int ev_supported_backends();

        int ev_recommended_backends();

        long ev_loop_new(int flags);

        void ev_loop_destroy(long loop);

        @IgnoreError
        int ev_backend(long loop);

        @IgnoreError
        int ev_run(long loop, int flags);

        @IgnoreError
        void ev_now_update(long loop);

        @IgnoreError
        int ev_iteration(long loop);

        @IgnoreError
        int ev_pending_count(long loop);

        @IgnoreError
        void ev_io_start(long loop, long watcher);

        @IgnoreError
        void ev_io_stop(long loop, long watcher);

        @IgnoreError
        void ev_timer_start(long loop, long watcher);

        @IgnoreError
        void ev_timer_stop(long loop, long watcher);

        @IgnoreError
        double ev_timer_remaining(long loop, long watcher);

        @IgnoreError
        void ev_async_start(long loop, long watcher);

        @IgnoreError
        void ev_async_stop(long loop, long watcher);

        @IgnoreError
        void ev_async_send(long loop, long watcher);

        void ev_set_syserr_cb(Syserr callback);
    }

    /** The few libc calls the loop needs: descriptor checks, errno, and a pipe for the layout check. */
    public interface LibC {
        /** statx(2) with an empty path and AT_EMPTY_PATH: the type of an open descriptor, or EBADF. */
        @SaveError
        int statx(int dirfd, long pathname, int flags, int mask, long statxbuf);

        @IgnoreError
        long __errno_location();

        long strerror(int errnum);

        int pipe(long fds);

        long write(int fd, long buf, long count);

        int close(int fd);

        @IgnoreError
        int timerfd_create(int clockid, int flags);

        @IgnoreError
        int timerfd_settime(int fd, int flags, long newValue, long oldValue);
    }

    /** A watcher callback as a JNR closure; addresses arrive as {@code long}, so a call allocates nothing. */
    public interface Closure {
        @Delegate
        void invoke(long loop, long watcher, int revents);
    }

    /** {@code ev_set_syserr_cb}'s callback as a JNR closure. */
    public interface Syserr {
        @Delegate
        void invoke(long message);
    }

    /** Adapts the shared callback to JNR's {@link Delegate} interface, which its closure glue calls. */
    private record ClosureAdapter(EvCallback target) implements Closure {
        @Override
        public void invoke(long loop, long watcher, int revents) {
            target.invoke(loop, watcher, revents);
        }
    }

    private record SyserrAdapter(SyserrCallback target) implements Syserr {
        @Override
        public void invoke(long message) {
            target.invoke(message);
        }
    }

    private final Api ev;
    private final LibC libc;
    private final jnr.ffi.Runtime libcRuntime;
    private final ClosureManager closures;
    /** Strongly reachable for the life of the process: libev keeps the pointer (or had it, see LibevSyserr). */
    private final List<Syserr> syserr = new ArrayList<>();

    private LibevJnr(Api ev, LibC libc) {
        this.ev = ev;
        this.libc = libc;
        this.libcRuntime = jnr.ffi.Runtime.getRuntime(libc);
        this.closures = jnr.ffi.Runtime.getRuntime(ev).getClosureManager();
    }

    /** Loads {@code spec} (libev) and libc; every bound symbol must exist. */
    static LibevBinding load(NativeLibrarySpec spec) throws NativeLibraryUnavailableException {
        return new LibevJnr(Jffi.load(Api.class, spec), Jffi.load(LibC.class, LibevLibrary.LIBC));
    }

    @Override
    public String loopName() {
        return "libev";
    }

    @Override
    public String describe(int major, int minor) {
        return "libev " + major + "." + minor;
    }

    @Override
    public NativeAccess memory() {
        return JffiAccess.INSTANCE;
    }

    @Override
    public int ev_version_major() {
        return ev.ev_version_major();
    }

    @Override
    public int ev_version_minor() {
        return ev.ev_version_minor();
    }

    @Override
    public int ev_supported_backends() {
        return ev.ev_supported_backends();
    }

    @Override
    public int ev_recommended_backends() {
        return ev.ev_recommended_backends();
    }

    @Override
    public long ev_loop_new(int flags) {
        return ev.ev_loop_new(flags);
    }

    @Override
    public void ev_loop_destroy(long loop) {
        ev.ev_loop_destroy(loop);
    }

    @Override
    public int ev_backend(long loop) {
        return ev.ev_backend(loop);
    }

    @Override
    public int ev_run(long loop, int flags) {
        return ev.ev_run(loop, flags);
    }

    @Override
    public void ev_now_update(long loop) {
        ev.ev_now_update(loop);
    }

    @Override
    public int ev_iteration(long loop) {
        return ev.ev_iteration(loop);
    }

    @Override
    public int ev_pending_count(long loop) {
        return ev.ev_pending_count(loop);
    }

    @Override
    public void ev_io_start(long loop, long watcher) {
        ev.ev_io_start(loop, watcher);
    }

    @Override
    public void ev_io_stop(long loop, long watcher) {
        ev.ev_io_stop(loop, watcher);
    }

    @Override
    public void ev_timer_start(long loop, long watcher) {
        ev.ev_timer_start(loop, watcher);
    }

    @Override
    public void ev_timer_stop(long loop, long watcher) {
        ev.ev_timer_stop(loop, watcher);
    }

    @Override
    public double ev_timer_remaining(long loop, long watcher) {
        return ev.ev_timer_remaining(loop, watcher);
    }

    @Override
    public void ev_async_start(long loop, long watcher) {
        ev.ev_async_start(loop, watcher);
    }

    @Override
    public void ev_async_stop(long loop, long watcher) {
        ev.ev_async_stop(loop, watcher);
    }

    @Override
    public void ev_async_send(long loop, long watcher) {
        ev.ev_async_send(loop, watcher);
    }

    @Override
    public synchronized void ev_set_syserr_cb(SyserrCallback callback) {
        Syserr closure = new SyserrAdapter(callback);
        syserr.add(closure);
        ev.ev_set_syserr_cb(closure);
    }

    @Override
    public Upcalls newUpcalls() {
        return new Upcalls() {
            // JNR frees a closure once its Java object is collected: these keep them for the scope.
            private final List<Closure> held = new ArrayList<>();

            @Override
            public long pointer(EvCallback callback) {
                Closure closure = new ClosureAdapter(callback);
                held.add(closure);
                return closures.getClosurePointer(Closure.class, closure).address();
            }

            @Override
            public void close() {
                held.clear();
            }
        };
    }

    @Override
    public int statx(int dirfd, long pathname, int flags, int mask, long statxbuf) {
        return libc.statx(dirfd, pathname, flags, mask, statxbuf) == 0 ? 0 : -libcRuntime.getLastError();
    }

    @Override
    public long __errno_location() {
        return libc.__errno_location();
    }

    @Override
    public long strerror(int errnum) {
        return libc.strerror(errnum);
    }

    @Override
    public int pipe(long fds) {
        return libc.pipe(fds);
    }

    @Override
    public long write(int fd, long buf, long count) {
        return libc.write(fd, buf, count);
    }

    @Override
    public int close(int fd) {
        return libc.close(fd);
    }

    @Override
    public int timerfd_create(int clockid, int flags) {
        return libc.timerfd_create(clockid, flags);
    }

    @Override
    public int timerfd_settime(int fd, int flags, long newValue, long oldValue) {
        return libc.timerfd_settime(fd, flags, newValue, oldValue);
    }
}

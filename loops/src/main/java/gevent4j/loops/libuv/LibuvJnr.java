package gevent4j.loops.libuv;

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
 * libuv bound through JNR-FFI: the {@code libuv} loop. Memory goes through jffi ({@link JffiAccess})
 * and callbacks are JNR closures, which jffi's native stub calls through JNI.
 */
final class LibuvJnr implements Libuv {

    /** The libuv functions, as JNR binds them. Every symbol is checked at load ({@link Jffi#load}). */
    public interface Api {
        @IgnoreError
        int uv_version();

        @IgnoreError
        String uv_version_string();

        @IgnoreError
        String uv_err_name(int err);

        @IgnoreError
        long uv_loop_size();

        @IgnoreError
        long uv_handle_size(int type);

        @IgnoreError
        String uv_handle_type_name(int type);

        @IgnoreError
        int uv_handle_get_type(long handle);

        @IgnoreError
        long uv_handle_get_data(long handle);

        @IgnoreError
        void uv_handle_set_data(long handle, long data);

        @IgnoreError
        int uv_is_active(long handle);

        @IgnoreError
        int uv_has_ref(long handle);

        @IgnoreError
        int uv_loop_init(long loop);

        @IgnoreError
        int uv_loop_close(long loop);

        @IgnoreError
        int uv_loop_alive(long loop);

        @IgnoreError
        int uv_backend_fd(long loop);

        @IgnoreError
        int uv_run(long loop, int mode);

        @IgnoreError
        void uv_stop(long loop);

        @IgnoreError
        void uv_update_time(long loop);

        @IgnoreError
        void uv_walk(long loop, long walkCb, long arg);

        @IgnoreError
        void uv_close(long handle, long closeCb);

        @IgnoreError
        int uv_poll_init(long loop, long handle, int fd);

        @IgnoreError
        int uv_poll_start(long handle, int events, long pollCb);

        @IgnoreError
        int uv_timer_init(long loop, long handle);

        @IgnoreError
        int uv_timer_start(long handle, long timerCb, long timeoutMillis, long repeatMillis);

        @IgnoreError
        int uv_async_init(long loop, long handle, long asyncCb);

        @IgnoreError
        int uv_async_send(long handle);
    }

    /** The libc functions {@link Libc} needs; each saves errno for {@link JnrLibc}. */
    public interface CApi {
        @SaveError
        int epoll_ctl(int epfd, int op, int fd, long event);

        @SaveError
        int epoll_create1(int flags);

        @SaveError
        int epoll_wait(int epfd, long events, int maxevents, int timeout);

        @SaveError
        int pipe2(long fds, int flags);

        @SaveError
        long write(int fd, long buffer, long count);

        @IgnoreError
        int close(int fd);

        @IgnoreError
        int timerfd_create(int clockid, int flags);

        @IgnoreError
        int timerfd_settime(int fd, int flags, long newValue, long oldValue);
    }

    /** {@code uv_poll_cb} as a JNR closure. */
    public interface PollClosure {
        @Delegate
        void call(long handle, int status, int events);
    }

    /** {@code uv_timer_cb}, {@code uv_close_cb} as a JNR closure. */
    public interface HandleClosure {
        @Delegate
        void call(long handle);
    }

    /** {@code uv_walk_cb} as a JNR closure. */
    public interface WalkClosure {
        @Delegate
        void call(long handle, long arg);
    }

    // Adapt the shared callbacks to JNR's Delegate interfaces, which its closure glue calls.
    private record PollAdapter(PollCallback target) implements PollClosure {
        @Override
        public void call(long handle, int status, int events) {
            target.call(handle, status, events);
        }
    }

    private record HandleAdapter(HandleCallback target) implements HandleClosure {
        @Override
        public void call(long handle) {
            target.call(handle);
        }
    }

    private record WalkAdapter(WalkCallback target) implements WalkClosure {
        @Override
        public void call(long handle, long arg) {
            target.call(handle, arg);
        }
    }

    private final Api uv;
    private final ClosureManager closures;

    private LibuvJnr(Api uv) {
        this.uv = uv;
        this.closures = jnr.ffi.Runtime.getRuntime(uv).getClosureManager();
    }

    /** Loads {@code spec} (libuv) and libc; every bound symbol must exist. */
    static LibuvProbe.Bindings load(NativeLibrarySpec spec) throws NativeLibraryUnavailableException {
        Api uv = Jffi.load(Api.class, spec);
        CApi libc = Jffi.load(CApi.class, LibuvProbe.LIBC);
        return new LibuvProbe.Bindings(new LibuvJnr(uv), new JnrLibc(libc));
    }

    @Override
    public String loopName() {
        return "libuv";
    }

    @Override
    public String describe(String version) {
        return "libuv " + version;
    }

    @Override
    public int addressSize() {
        return jnr.ffi.Runtime.getSystemRuntime().addressSize();
    }

    @Override
    public NativeAccess memory() {
        return JffiAccess.INSTANCE;
    }

    @Override
    public Upcalls newUpcalls() {
        return new Upcalls() {
            // JNR frees a closure once its Java object is collected: these keep them for the scope.
            private final List<Object> held = new ArrayList<>();

            @Override
            public long poll(PollCallback callback) {
                PollClosure closure = new PollAdapter(callback);
                held.add(closure);
                return closures.getClosurePointer(PollClosure.class, closure).address();
            }

            @Override
            public long handle(HandleCallback callback) {
                HandleClosure closure = new HandleAdapter(callback);
                held.add(closure);
                return closures.getClosurePointer(HandleClosure.class, closure).address();
            }

            @Override
            public long walk(WalkCallback callback) {
                WalkClosure closure = new WalkAdapter(callback);
                held.add(closure);
                return closures.getClosurePointer(WalkClosure.class, closure).address();
            }

            @Override
            public void close() {
                held.clear();
            }
        };
    }

    @Override
    public int uv_version() {
        return uv.uv_version();
    }

    @Override
    public String uv_version_string() {
        return uv.uv_version_string();
    }

    @Override
    public String uv_err_name(int err) {
        return uv.uv_err_name(err);
    }

    @Override
    public long uv_loop_size() {
        return uv.uv_loop_size();
    }

    @Override
    public long uv_handle_size(int type) {
        return uv.uv_handle_size(type);
    }

    @Override
    public String uv_handle_type_name(int type) {
        return uv.uv_handle_type_name(type);
    }

    @Override
    public int uv_handle_get_type(long handle) {
        return uv.uv_handle_get_type(handle);
    }

    @Override
    public long uv_handle_get_data(long handle) {
        return uv.uv_handle_get_data(handle);
    }

    @Override
    public void uv_handle_set_data(long handle, long data) {
        uv.uv_handle_set_data(handle, data);
    }

    @Override
    public int uv_is_active(long handle) {
        return uv.uv_is_active(handle);
    }

    @Override
    public int uv_has_ref(long handle) {
        return uv.uv_has_ref(handle);
    }

    @Override
    public int uv_loop_init(long loop) {
        return uv.uv_loop_init(loop);
    }

    @Override
    public int uv_loop_close(long loop) {
        return uv.uv_loop_close(loop);
    }

    @Override
    public int uv_loop_alive(long loop) {
        return uv.uv_loop_alive(loop);
    }

    @Override
    public int uv_backend_fd(long loop) {
        return uv.uv_backend_fd(loop);
    }

    @Override
    public int uv_run(long loop, int mode) {
        return uv.uv_run(loop, mode);
    }

    @Override
    public void uv_stop(long loop) {
        uv.uv_stop(loop);
    }

    @Override
    public void uv_update_time(long loop) {
        uv.uv_update_time(loop);
    }

    @Override
    public void uv_walk(long loop, long walkCb, long arg) {
        uv.uv_walk(loop, walkCb, arg);
    }

    @Override
    public void uv_close(long handle, long closeCb) {
        uv.uv_close(handle, closeCb);
    }

    @Override
    public int uv_poll_init(long loop, long handle, int fd) {
        return uv.uv_poll_init(loop, handle, fd);
    }

    @Override
    public int uv_poll_start(long handle, int events, long pollCb) {
        return uv.uv_poll_start(handle, events, pollCb);
    }

    @Override
    public int uv_timer_init(long loop, long handle) {
        return uv.uv_timer_init(loop, handle);
    }

    @Override
    public int uv_timer_start(long handle, long timerCb, long timeoutMillis, long repeatMillis) {
        return uv.uv_timer_start(handle, timerCb, timeoutMillis, repeatMillis);
    }

    @Override
    public int uv_async_init(long loop, long handle, long asyncCb) {
        return uv.uv_async_init(loop, handle, asyncCb);
    }

    @Override
    public int uv_async_send(long handle) {
        return uv.uv_async_send(handle);
    }

    /** {@link Libc} through JNR, with the errno each call saved. */
    private static final class JnrLibc implements Libc {
        private final CApi libc;
        private final jnr.ffi.Runtime runtime;

        JnrLibc(CApi libc) {
            this.libc = libc;
            this.runtime = jnr.ffi.Runtime.getRuntime(libc);
        }

        private int errno() {
            return jnr.ffi.LastError.getLastError(runtime);
        }

        @Override
        public int epoll_ctl(int epfd, int op, int fd, long event) {
            return libc.epoll_ctl(epfd, op, fd, event) == 0 ? 0 : -errno();
        }

        @Override
        public int epoll_create1(int flags) {
            int result = libc.epoll_create1(flags);
            return result >= 0 ? result : -errno();
        }

        @Override
        public int epoll_wait(int epfd, long events, int maxevents, int timeout) {
            int result = libc.epoll_wait(epfd, events, maxevents, timeout);
            return result >= 0 ? result : -errno();
        }

        @Override
        public int pipe2(long fds, int flags) {
            return libc.pipe2(fds, flags) == 0 ? 0 : -errno();
        }

        @Override
        public long write(int fd, long buf, long count) {
            long result = libc.write(fd, buf, count);
            return result >= 0 ? result : -errno();
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
}

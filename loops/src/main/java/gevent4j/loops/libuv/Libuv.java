package gevent4j.loops.libuv;

import jnr.ffi.annotations.Delegate;
import jnr.ffi.annotations.IgnoreError;

/**
 * The part of libuv's C API ({@code uv.h}, 1.34 or later) that the libuv loop binds through JNR-FFI.
 *
 * <p>Every pointer ({@code uv_loop_t*}, {@code uv_handle_t*}, callbacks) is a raw {@code long}
 * address: no JNR {@code Pointer} object is created per call or per callback, so the hot paths
 * allocate nothing. That needs 64-bit pointers and a 64-bit C {@code long}, which
 * {@link LibuvLayout} checks. {@code uint64_t} and {@code size_t} are {@code long} for the same
 * reason. libuv reports errors as negative return values ({@code UV_E*}, which are {@code -errno} on
 * Unix), never through {@code errno}, so no call saves {@code errno} ({@link IgnoreError}).
 */
public interface Libuv {

    /** {@code uv_handle_type} values ({@code UV_HANDLE_TYPE_MAP} order), confirmed at start-up by name. */
    int UV_ASYNC = 1;
    int UV_POLL = 8;
    int UV_TIMER = 13;

    /** {@code uv_run_mode}. */
    int UV_RUN_ONCE = 1;
    int UV_RUN_NOWAIT = 2;

    /** {@code uv_poll_event}. */
    int UV_READABLE = 1;
    int UV_WRITABLE = 2;
    int UV_DISCONNECT = 4;

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
    int uv_poll_stop(long handle);

    @IgnoreError
    int uv_timer_init(long loop, long handle);

    @IgnoreError
    int uv_timer_start(long handle, long timerCb, long timeoutMillis, long repeatMillis);

    @IgnoreError
    int uv_async_init(long loop, long handle, long asyncCb);

    /** The one call that other threads may make. */
    @IgnoreError
    int uv_async_send(long handle);

    /** {@code uv_poll_cb}: {@code void (*)(uv_poll_t* handle, int status, int events)}. */
    interface PollCallback {
        @Delegate
        void call(long handle, int status, int events);
    }

    /** {@code uv_timer_cb}, {@code uv_close_cb}: {@code void (*)(uv_handle_t* handle)}. */
    interface HandleCallback {
        @Delegate
        void call(long handle);
    }

    /** {@code uv_walk_cb}: {@code void (*)(uv_handle_t* handle, void* arg)}. */
    interface WalkCallback {
        @Delegate
        void call(long handle, long arg);
    }
}

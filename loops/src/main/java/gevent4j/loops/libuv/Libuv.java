package gevent4j.loops.libuv;

import gevent4j.loops.common.NativeAccess;

/**
 * The part of libuv's C API ({@code uv.h}, 1.34 or later) that the libuv loop calls, and how that
 * binding reaches it: {@link LibuvJnr} (JNR-FFI, loop {@code libuv}) or {@link LibuvFfm}
 * (java.lang.foreign, loop {@code libuv-ffm}). The loop, its checks and {@link PollTable} are the
 * same for both.
 *
 * <p>Every pointer ({@code uv_loop_t*}, {@code uv_handle_t*}, callbacks) is a raw {@code long}
 * address: no pointer object is created per call or per callback, so the hot paths allocate
 * nothing. That needs 64-bit pointers and a 64-bit C {@code long}, which {@link LibuvLayout}
 * checks. {@code uint64_t} and {@code size_t} are {@code long} for the same reason. libuv reports
 * errors as negative return values ({@code UV_E*}, which are {@code -errno} on Unix), never through
 * {@code errno}.
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

    // ---- the binding ------------------------------------------------------------------------------

    /** The loop's name: {@code libuv} or {@code libuv-ffm}. */
    String loopName();

    /** How descriptions name the library: {@code libuv 1.44.2}, or {@code libuv-ffm: libuv 1.44.2 through ...}. */
    String describe(String version);

    /** The size of a C pointer in this process, for {@link LibuvLayout}'s check. */
    int addressSize();

    /** Native memory as this binding reads and writes it. */
    NativeAccess memory();

    /** A scope of callbacks (C function pointers into Java), released by {@link Upcalls#close}. */
    Upcalls newUpcalls();

    // ---- libuv ------------------------------------------------------------------------------------

    int uv_version();

    String uv_version_string();

    String uv_err_name(int err);

    long uv_loop_size();

    long uv_handle_size(int type);

    String uv_handle_type_name(int type);

    int uv_handle_get_type(long handle);

    long uv_handle_get_data(long handle);

    void uv_handle_set_data(long handle, long data);

    int uv_is_active(long handle);

    int uv_has_ref(long handle);

    int uv_loop_init(long loop);

    int uv_loop_close(long loop);

    int uv_loop_alive(long loop);

    int uv_backend_fd(long loop);

    /** Calls back into Java (poll, timer, close callbacks) before it returns. */
    int uv_run(long loop, int mode);

    void uv_stop(long loop);

    void uv_update_time(long loop);

    /** Calls {@code walkCb} for every handle before it returns. */
    void uv_walk(long loop, long walkCb, long arg);

    void uv_close(long handle, long closeCb);

    int uv_poll_init(long loop, long handle, int fd);

    int uv_poll_start(long handle, int events, long pollCb);

    int uv_timer_init(long loop, long handle);

    int uv_timer_start(long handle, long timerCb, long timeoutMillis, long repeatMillis);

    int uv_async_init(long loop, long handle, long asyncCb);

    /** The one call that other threads may make. */
    int uv_async_send(long handle);

    // ---- callbacks --------------------------------------------------------------------------------

    /**
     * {@code uv_poll_cb}: {@code void (*)(uv_poll_t* handle, int status, int events)}. Like every
     * callback here it catches everything itself: nothing may unwind into libuv (under FFM it would
     * end the JVM).
     */
    @FunctionalInterface
    interface PollCallback {
        void call(long handle, int status, int events);
    }

    /** {@code uv_timer_cb}, {@code uv_close_cb}: {@code void (*)(uv_handle_t* handle)}. */
    @FunctionalInterface
    interface HandleCallback {
        void call(long handle);
    }

    /** {@code uv_walk_cb}: {@code void (*)(uv_handle_t* handle, void* arg)}. */
    @FunctionalInterface
    interface WalkCallback {
        void call(long handle, long arg);
    }

    /** Callbacks that stay callable from C until {@link #close()}: a loop's. */
    interface Upcalls extends AutoCloseable {
        long poll(PollCallback callback);

        long handle(HandleCallback callback);

        long walk(WalkCallback callback);

        /** After libuv can no longer call any of them (uv_loop_close). */
        @Override
        void close();
    }
}

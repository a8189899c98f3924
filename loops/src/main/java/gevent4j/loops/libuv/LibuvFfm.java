package gevent4j.loops.libuv;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import gevent4j.hub.Log;
import gevent4j.loops.common.NativeAccess;
import gevent4j.loops.ffi.NativeLibrarySpec;
import gevent4j.loops.ffi.NativeLibraryUnavailableException;
import gevent4j.loops.ffm.Ffm;
import gevent4j.loops.ffm.FfmAccess;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;

/**
 * libuv bound through java.lang.foreign: the {@code libuv-ffm} loop. As {@code LibevFfm} does for
 * libev: downcall handles in static finals (inlined by the JIT), pointers as {@code JAVA_LONG} (no
 * {@code MemorySegment} per call), callbacks as upcall stubs in an arena of the loop, memory
 * through {@link FfmAccess}, libc's errno captured by the downcall itself. Nothing of JNR or jffi
 * is loaded.
 *
 * <p>Calls that neither block, call back nor make a system call (handle accessors, {@code uv_stop},
 * {@code uv_update_time}, timer start, sizes) are linked
 * {@link Linker.Option#critical critical}. {@code uv_run} and {@code uv_walk} call back;
 * {@code uv_close} and {@code uv_poll_start} are kept apart from that group because libuv may
 * touch the kernel there (its epoll set, the watcher queue); {@code uv_async_send} runs on any
 * thread and writes to a descriptor.
 */
final class LibuvFfm implements Libuv {

    private static final List<String> UV_SYMBOLS = List.of("uv_version", "uv_version_string", "uv_err_name", "uv_loop_size", "uv_handle_size", "uv_handle_type_name", "uv_handle_get_type", "uv_handle_get_data", "uv_handle_set_data", "uv_is_active", "uv_has_ref", "uv_loop_init", "uv_loop_close", "uv_loop_alive", "uv_backend_fd", "uv_run", "uv_stop", "uv_update_time", "uv_walk", "uv_close", "uv_poll_init", "uv_poll_start", "uv_timer_init", "uv_timer_start", "uv_async_init", "uv_async_send");
    private static final List<String> LIBC_SYMBOLS = List.of("epoll_ctl", "epoll_create1", "epoll_wait",
        "pipe2", "write", "close", "timerfd_create", "timerfd_settime");

    private static final FunctionDescriptor POLL_CB = FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_INT, JAVA_INT);
    private static final FunctionDescriptor HANDLE_CB = FunctionDescriptor.ofVoid(JAVA_LONG);
    private static final FunctionDescriptor WALK_CB = FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_LONG);
    private static final MethodHandle POLL_INVOKE;
    private static final MethodHandle HANDLE_INVOKE;
    private static final MethodHandle WALK_INVOKE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            POLL_INVOKE = lookup.findVirtual(PollCallback.class, "call",
                MethodType.methodType(void.class, long.class, int.class, int.class));
            HANDLE_INVOKE = lookup.findVirtual(HandleCallback.class, "call", MethodType.methodType(void.class, long.class));
            WALK_INVOKE = lookup.findVirtual(WalkCallback.class, "call",
                MethodType.methodType(void.class, long.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final LibuvFfm UV = new LibuvFfm();
    private static final FfmLibc LIBC = new FfmLibc();

    private LibuvFfm() {
    }

    /**
     * Checks that {@code spec} and libc load with every symbol bound here; the handles ({@link H})
     * are made on first use, from {@link LibuvProbe#LIBUV}: static finals cannot be parameterised,
     * and only tests name another library (a missing one, which fails here first).
     */
    static LibuvProbe.Bindings load(NativeLibrarySpec spec) throws NativeLibraryUnavailableException {
        Ffm.library(spec, UV_SYMBOLS);
        Ffm.library(LibuvProbe.LIBC, LIBC_SYMBOLS);
        if (!spec.soname().equals(LibuvProbe.LIBUV.soname())) {
            throw new NativeLibraryUnavailableException("the FFM binding of libuv binds " + LibuvProbe.LIBUV.soname()
                + " only, not " + spec.soname());
        }
        return new LibuvProbe.Bindings(UV, LIBC);
    }

    /** The downcall handles, in static finals so that each call site inlines its handle. */
    private static final class H {
        private static final Linker.Option CRITICAL = Linker.Option.critical(false);
        private static final SymbolLookup UV = lookup(LibuvProbe.LIBUV, UV_SYMBOLS);
        private static final SymbolLookup C = lookup(LibuvProbe.LIBC, LIBC_SYMBOLS);

        static final MethodHandle UV_VERSION = uv("uv_version", FunctionDescriptor.of(JAVA_INT), CRITICAL);
        static final MethodHandle UV_VERSION_STRING = uv("uv_version_string", FunctionDescriptor.of(JAVA_LONG));
        static final MethodHandle UV_ERR_NAME = uv("uv_err_name", FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
        static final MethodHandle UV_LOOP_SIZE = uv("uv_loop_size", FunctionDescriptor.of(JAVA_LONG), CRITICAL);
        static final MethodHandle UV_HANDLE_SIZE = uv("uv_handle_size", FunctionDescriptor.of(JAVA_LONG, JAVA_INT), CRITICAL);
        static final MethodHandle UV_HANDLE_TYPE_NAME = uv("uv_handle_type_name", FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
        static final MethodHandle UV_HANDLE_GET_TYPE = uv("uv_handle_get_type", FunctionDescriptor.of(JAVA_INT, JAVA_LONG), CRITICAL);
        static final MethodHandle UV_HANDLE_GET_DATA = uv("uv_handle_get_data", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG), CRITICAL);
        static final MethodHandle UV_HANDLE_SET_DATA = uv("uv_handle_set_data", FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_LONG), CRITICAL);
        static final MethodHandle UV_IS_ACTIVE = uv("uv_is_active", FunctionDescriptor.of(JAVA_INT, JAVA_LONG), CRITICAL);
        static final MethodHandle UV_HAS_REF = uv("uv_has_ref", FunctionDescriptor.of(JAVA_INT, JAVA_LONG), CRITICAL);
        static final MethodHandle UV_LOOP_INIT = uv("uv_loop_init", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
        static final MethodHandle UV_LOOP_CLOSE = uv("uv_loop_close", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
        static final MethodHandle UV_LOOP_ALIVE = uv("uv_loop_alive", FunctionDescriptor.of(JAVA_INT, JAVA_LONG), CRITICAL);
        static final MethodHandle UV_BACKEND_FD = uv("uv_backend_fd", FunctionDescriptor.of(JAVA_INT, JAVA_LONG), CRITICAL);
        static final MethodHandle UV_RUN = uv("uv_run", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));
        static final MethodHandle UV_STOP = uv("uv_stop", FunctionDescriptor.ofVoid(JAVA_LONG), CRITICAL);
        static final MethodHandle UV_UPDATE_TIME = uv("uv_update_time", FunctionDescriptor.ofVoid(JAVA_LONG), CRITICAL);
        static final MethodHandle UV_WALK = uv("uv_walk", FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_LONG, JAVA_LONG));
        static final MethodHandle UV_CLOSE = uv("uv_close", FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_LONG));
        static final MethodHandle UV_POLL_INIT = uv("uv_poll_init", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
        static final MethodHandle UV_POLL_START = uv("uv_poll_start", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG));
        static final MethodHandle UV_TIMER_INIT = uv("uv_timer_init", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG), CRITICAL);
        static final MethodHandle UV_TIMER_START = uv("uv_timer_start", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), CRITICAL);
        static final MethodHandle UV_ASYNC_INIT = uv("uv_async_init", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG));
        static final MethodHandle UV_ASYNC_SEND = uv("uv_async_send", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));

        /** errno as each libc call left it, captured by the downcall: the JVM may change errno after. */
        static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
        static final long ERRNO_OFFSET = CALL_STATE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
        private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
        static final MethodHandle EPOLL_CTL = c("epoll_ctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), ERRNO);
        static final MethodHandle EPOLL_CREATE1 = c("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT), ERRNO);
        static final MethodHandle EPOLL_WAIT = c("epoll_wait",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT), ERRNO);
        static final MethodHandle PIPE2 = c("pipe2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT), ERRNO);
        static final MethodHandle WRITE = c("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG),
            ERRNO);
        static final MethodHandle CLOSE = c("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        static final MethodHandle TIMERFD_CREATE = c("timerfd_create", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
        static final MethodHandle TIMERFD_SETTIME = c("timerfd_settime",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), CRITICAL);

        /**
         * One capture buffer per thread, made at its first call: a call allocates nothing after. A
         * greenlet is a thread of its own here (see {@link FfmLibc#prepareThread()}).
         */
        static final ThreadLocal<MemorySegment> STATE = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CALL_STATE));

        private static SymbolLookup lookup(NativeLibrarySpec spec, List<String> symbols) {
            try {
                return Ffm.library(spec, symbols);
            } catch (NativeLibraryUnavailableException e) {
                throw new IllegalStateException(e.getMessage(), e); // load() checked it already
            }
        }

        private static MethodHandle uv(String name, FunctionDescriptor function, Linker.Option... options) {
            return Ffm.downcall(UV, name, function, options);
        }

        private static MethodHandle c(String name, FunctionDescriptor function, Linker.Option... options) {
            return Ffm.downcall(C, name, function, options);
        }

        static int errno(MemorySegment state) {
            return state.get(ValueLayout.JAVA_INT, ERRNO_OFFSET);
        }
    }

    @Override
    public String loopName() {
        return "libuv-ffm";
    }

    @Override
    public String describe(String version) {
        return "libuv-ffm: libuv " + version + " through java.lang.foreign";
    }

    @Override
    public int addressSize() {
        return (int) ValueLayout.ADDRESS.byteSize();
    }

    @Override
    public NativeAccess memory() {
        return FfmAccess.INSTANCE;
    }

    /**
     * Upcall stubs in a shared arena of their own (a loop may be destroyed on another thread than
     * the one that made it), freed together when the loop has closed its libuv loop.
     */
    @Override
    public Upcalls newUpcalls() {
        Arena arena = Arena.ofShared();
        return new Upcalls() {
            @Override
            public long poll(PollCallback callback) {
                return Ffm.upcall(POLL_INVOKE.bindTo(new GuardedPoll(callback)), POLL_CB, arena);
            }

            @Override
            public long handle(HandleCallback callback) {
                return Ffm.upcall(HANDLE_INVOKE.bindTo(new GuardedHandle(callback)), HANDLE_CB, arena);
            }

            @Override
            public long walk(WalkCallback callback) {
                return Ffm.upcall(WALK_INVOKE.bindTo(new GuardedWalk(callback)), WALK_CB, arena);
            }

            @Override
            public void close() {
                arena.close();
            }
        };
    }

    // The last line of defence of an upcall: the loop's callbacks catch everything and report it,
    // but should anything still get through, it must not reach the stub, where FFM would end the JVM.
    private record GuardedPoll(PollCallback target) implements PollCallback {
        @Override
        public void call(long handle, int status, int events) {
            try {
                target.call(handle, status, events);
            } catch (Throwable t) {
                escaped(t);
            }
        }
    }

    private record GuardedHandle(HandleCallback target) implements HandleCallback {
        @Override
        public void call(long handle) {
            try {
                target.call(handle);
            } catch (Throwable t) {
                escaped(t);
            }
        }
    }

    private record GuardedWalk(WalkCallback target) implements WalkCallback {
        @Override
        public void call(long handle, long arg) {
            try {
                target.call(handle, arg);
            } catch (Throwable t) {
                escaped(t);
            }
        }
    }

    private static void escaped(Throwable t) {
        try {
            Log.error("libuv-ffm: an exception escaped a libuv callback's own handling and was dropped, "
                + "so that it cannot end the JVM", t);
        } catch (Throwable ignored) {
            // Nothing may unwind into libuv.
        }
    }

    @Override
    public int uv_version() {
        try {
            return (int) H.UV_VERSION.invokeExact();
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public String uv_version_string() {
        try {
            return FfmAccess.INSTANCE.string((long) H.UV_VERSION_STRING.invokeExact());
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public String uv_err_name(int err) {
        try {
            return FfmAccess.INSTANCE.string((long) H.UV_ERR_NAME.invokeExact(err));
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public long uv_loop_size() {
        try {
            return (long) H.UV_LOOP_SIZE.invokeExact();
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public long uv_handle_size(int type) {
        try {
            return (long) H.UV_HANDLE_SIZE.invokeExact(type);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public String uv_handle_type_name(int type) {
        try {
            return FfmAccess.INSTANCE.string((long) H.UV_HANDLE_TYPE_NAME.invokeExact(type));
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public int uv_handle_get_type(long handle) {
        try {
            return (int) H.UV_HANDLE_GET_TYPE.invokeExact(handle);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public long uv_handle_get_data(long handle) {
        try {
            return (long) H.UV_HANDLE_GET_DATA.invokeExact(handle);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public void uv_handle_set_data(long handle, long data) {
        try {
            H.UV_HANDLE_SET_DATA.invokeExact(handle, data);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public int uv_is_active(long handle) {
        try {
            return (int) H.UV_IS_ACTIVE.invokeExact(handle);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public int uv_has_ref(long handle) {
        try {
            return (int) H.UV_HAS_REF.invokeExact(handle);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public int uv_loop_init(long loop) {
        try {
            return (int) H.UV_LOOP_INIT.invokeExact(loop);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public int uv_loop_close(long loop) {
        try {
            return (int) H.UV_LOOP_CLOSE.invokeExact(loop);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public int uv_loop_alive(long loop) {
        try {
            return (int) H.UV_LOOP_ALIVE.invokeExact(loop);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public int uv_backend_fd(long loop) {
        try {
            return (int) H.UV_BACKEND_FD.invokeExact(loop);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public int uv_run(long loop, int mode) {
        try {
            return (int) H.UV_RUN.invokeExact(loop, mode);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public void uv_stop(long loop) {
        try {
            H.UV_STOP.invokeExact(loop);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public void uv_update_time(long loop) {
        try {
            H.UV_UPDATE_TIME.invokeExact(loop);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public void uv_walk(long loop, long walkCb, long arg) {
        try {
            H.UV_WALK.invokeExact(loop, walkCb, arg);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public void uv_close(long handle, long closeCb) {
        try {
            H.UV_CLOSE.invokeExact(handle, closeCb);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public int uv_poll_init(long loop, long handle, int fd) {
        try {
            return (int) H.UV_POLL_INIT.invokeExact(loop, handle, fd);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public int uv_poll_start(long handle, int events, long pollCb) {
        try {
            return (int) H.UV_POLL_START.invokeExact(handle, events, pollCb);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public int uv_timer_init(long loop, long handle) {
        try {
            return (int) H.UV_TIMER_INIT.invokeExact(loop, handle);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public int uv_timer_start(long handle, long timerCb, long timeoutMillis, long repeatMillis) {
        try {
            return (int) H.UV_TIMER_START.invokeExact(handle, timerCb, timeoutMillis, repeatMillis);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public int uv_async_init(long loop, long handle, long asyncCb) {
        try {
            return (int) H.UV_ASYNC_INIT.invokeExact(loop, handle, asyncCb);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public int uv_async_send(long handle) {
        try {
            return (int) H.UV_ASYNC_SEND.invokeExact(handle);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    /** {@link Libc} through FFM, with errno captured by each call. */
    private static final class FfmLibc implements Libc {

        /**
         * Makes this thread's capture buffer now if it has none: the first call of each greenlet (a
         * virtual thread of its own) makes one, and may unmount while it does (the buffer registers
         * with a Cleaner, whose lock may be contended).
         */
        @Override
        public void prepareThread() {
            H.STATE.get();
        }

        private static MemorySegment state() {
            return H.STATE.get();
        }

        @Override
        public int epoll_ctl(int epfd, int op, int fd, long event) {
            MemorySegment state = state();
            try {
                int result = (int) H.EPOLL_CTL.invokeExact(state, epfd, op, fd, event);
                return result == 0 ? 0 : -H.errno(state);
            } catch (Throwable t) {
                throw Ffm.rethrow(t);
            }
        }

        @Override
        public int epoll_create1(int flags) {
            MemorySegment state = state();
            try {
                int result = (int) H.EPOLL_CREATE1.invokeExact(state, flags);
                return result >= 0 ? result : -H.errno(state);
            } catch (Throwable t) {
                throw Ffm.rethrow(t);
            }
        }

        @Override
        public int epoll_wait(int epfd, long events, int maxevents, int timeout) {
            MemorySegment state = state();
            try {
                int result = (int) H.EPOLL_WAIT.invokeExact(state, epfd, events, maxevents, timeout);
                return result >= 0 ? result : -H.errno(state);
            } catch (Throwable t) {
                throw Ffm.rethrow(t);
            }
        }

        @Override
        public int pipe2(long fds, int flags) {
            MemorySegment state = state();
            try {
                int result = (int) H.PIPE2.invokeExact(state, fds, flags);
                return result == 0 ? 0 : -H.errno(state);
            } catch (Throwable t) {
                throw Ffm.rethrow(t);
            }
        }

        @Override
        public long write(int fd, long buf, long count) {
            MemorySegment state = state();
            try {
                long result = (long) H.WRITE.invokeExact(state, fd, buf, count);
                return result >= 0 ? result : -H.errno(state);
            } catch (Throwable t) {
                throw Ffm.rethrow(t);
            }
        }

        @Override
        public int close(int fd) {
            try {
                return (int) H.CLOSE.invokeExact(fd);
            } catch (Throwable t) {
                throw Ffm.rethrow(t);
            }
        }

        @Override
        public int timerfd_create(int clockid, int flags) {
            try {
                return (int) H.TIMERFD_CREATE.invokeExact(clockid, flags);
            } catch (Throwable t) {
                throw Ffm.rethrow(t);
            }
        }

        @Override
        public int timerfd_settime(int fd, int flags, long newValue, long oldValue) {
            try {
                return (int) H.TIMERFD_SETTIME.invokeExact(fd, flags, newValue, oldValue);
            } catch (Throwable t) {
                throw Ffm.rethrow(t);
            }
        }
    }
}

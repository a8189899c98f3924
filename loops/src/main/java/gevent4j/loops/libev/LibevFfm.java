package gevent4j.loops.libev;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
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
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;

/**
 * libev bound through java.lang.foreign: the {@code libev-ffm} loop. Downcalls are
 * {@code Linker} method handles held in static finals (so the JIT inlines them), watcher callbacks
 * are upcall stubs in the arena of the loop that owns them, and watcher memory is accessed through
 * {@link FfmAccess}. Nothing of JNR or jffi is loaded.
 *
 * <p>Pointers are passed as {@code JAVA_LONG}, not {@code ADDRESS}: the same register on LP64 (which
 * the layout table enforces), and no {@code MemorySegment} is made per call or per callback.
 *
 * <p>Calls that neither block nor call back into Java (watcher start and stop, the clock, counters)
 * are linked {@link Linker.Option#critical critical}: no thread-state transition around them.
 * {@code ev_run} blocks and calls back; {@code ev_async_start} may report a failed
 * {@code eventfd}/{@code pipe} through the syserr callback; {@code ev_async_send} runs on any
 * thread and writes to a descriptor; those are linked normally.
 */
final class LibevFfm implements LibevBinding {

    private static final List<String> EV_SYMBOLS = List.of("ev_version_major", "ev_version_minor",
        "ev_supported_backends", "ev_recommended_backends", "ev_loop_new", "ev_loop_destroy", "ev_backend", "ev_run",
        "ev_now_update", "ev_iteration", "ev_pending_count", "ev_io_start", "ev_io_stop", "ev_timer_start",
        "ev_timer_stop", "ev_timer_remaining", "ev_async_start", "ev_async_stop", "ev_async_send", "ev_set_syserr_cb");
    private static final List<String> LIBC_SYMBOLS = List.of("statx", "__errno_location", "strerror", "pipe", "write",
        "close", "timerfd_create", "timerfd_settime");

    /** {@code void (*)(struct ev_loop *, ev_TYPE *, int)}. */
    private static final FunctionDescriptor EV_CALLBACK = FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_LONG, JAVA_INT);
    private static final MethodHandle EV_CALLBACK_INVOKE;
    private static final MethodHandle SYSERR_INVOKE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            EV_CALLBACK_INVOKE = lookup.findVirtual(EvCallback.class, "invoke",
                MethodType.methodType(void.class, long.class, long.class, int.class));
            SYSERR_INVOKE = lookup.findVirtual(SyserrCallback.class, "invoke",
                MethodType.methodType(void.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final LibevFfm INSTANCE = new LibevFfm();

    private LibevFfm() {
    }

    /**
     * Checks that {@code spec} and libc load with every symbol bound here. The handles themselves
     * ({@link H}) are made on first use, from {@link LibevLibrary#LIBEV}: static finals cannot be
     * parameterised, and only tests name another library (a missing one, which fails here first).
     */
    static LibevBinding load(NativeLibrarySpec spec) throws NativeLibraryUnavailableException {
        Ffm.library(spec, EV_SYMBOLS);
        Ffm.library(LibevLibrary.LIBC, LIBC_SYMBOLS);
        if (!spec.soname().equals(LibevLibrary.LIBEV.soname())) {
            throw new NativeLibraryUnavailableException("the FFM binding of libev binds " + LibevLibrary.LIBEV.soname()
                + " only, not " + spec.soname());
        }
        return INSTANCE;
    }

    /** The downcall handles, in static finals so that each call site inlines its handle. */
    private static final class H {
        private static final Linker.Option CRITICAL = Linker.Option.critical(false);
        private static final SymbolLookup EV = lookup(LibevLibrary.LIBEV, EV_SYMBOLS);
        private static final SymbolLookup LIBC = lookup(LibevLibrary.LIBC, LIBC_SYMBOLS);

        static final MethodHandle EV_VERSION_MAJOR = ev("ev_version_major", FunctionDescriptor.of(JAVA_INT));
        static final MethodHandle EV_VERSION_MINOR = ev("ev_version_minor", FunctionDescriptor.of(JAVA_INT));
        static final MethodHandle EV_SUPPORTED_BACKENDS = ev("ev_supported_backends", FunctionDescriptor.of(JAVA_INT));
        static final MethodHandle EV_RECOMMENDED_BACKENDS = ev("ev_recommended_backends",
            FunctionDescriptor.of(JAVA_INT));
        static final MethodHandle EV_LOOP_NEW = ev("ev_loop_new", FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
        static final MethodHandle EV_LOOP_DESTROY = ev("ev_loop_destroy", FunctionDescriptor.ofVoid(JAVA_LONG));
        static final MethodHandle EV_BACKEND = ev("ev_backend", FunctionDescriptor.of(JAVA_INT, JAVA_LONG), CRITICAL);
        static final MethodHandle EV_RUN = ev("ev_run", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));
        static final MethodHandle EV_NOW_UPDATE = ev("ev_now_update", FunctionDescriptor.ofVoid(JAVA_LONG), CRITICAL);
        static final MethodHandle EV_ITERATION = ev("ev_iteration", FunctionDescriptor.of(JAVA_INT, JAVA_LONG),
            CRITICAL);
        static final MethodHandle EV_PENDING_COUNT = ev("ev_pending_count", FunctionDescriptor.of(JAVA_INT, JAVA_LONG),
            CRITICAL);
        static final MethodHandle EV_IO_START = ev("ev_io_start", watcherCall(), CRITICAL);
        static final MethodHandle EV_IO_STOP = ev("ev_io_stop", watcherCall(), CRITICAL);
        static final MethodHandle EV_TIMER_START = ev("ev_timer_start", watcherCall(), CRITICAL);
        static final MethodHandle EV_TIMER_STOP = ev("ev_timer_stop", watcherCall(), CRITICAL);
        static final MethodHandle EV_TIMER_REMAINING = ev("ev_timer_remaining",
            FunctionDescriptor.of(JAVA_DOUBLE, JAVA_LONG, JAVA_LONG), CRITICAL);
        static final MethodHandle EV_ASYNC_START = ev("ev_async_start", watcherCall());
        static final MethodHandle EV_ASYNC_STOP = ev("ev_async_stop", watcherCall(), CRITICAL);
        static final MethodHandle EV_ASYNC_SEND = ev("ev_async_send", watcherCall());
        static final MethodHandle EV_SET_SYSERR_CB = ev("ev_set_syserr_cb", FunctionDescriptor.ofVoid(JAVA_LONG));

        /** errno as statx left it, captured by the downcall itself: the JVM may change errno after. */
        static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
        static final long ERRNO_OFFSET = CALL_STATE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
        static final MethodHandle STATX = Ffm.downcall(LIBC, "statx",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG),
            Linker.Option.captureCallState("errno"));
        static final MethodHandle ERRNO_LOCATION = Ffm.downcall(LIBC, "__errno_location",
            FunctionDescriptor.of(JAVA_LONG));
        static final MethodHandle STRERROR = Ffm.downcall(LIBC, "strerror", FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
        static final MethodHandle PIPE = Ffm.downcall(LIBC, "pipe", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
        static final MethodHandle WRITE = Ffm.downcall(LIBC, "write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
        static final MethodHandle CLOSE = Ffm.downcall(LIBC, "close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        static final MethodHandle TIMERFD_CREATE = Ffm.downcall(LIBC, "timerfd_create",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
        static final MethodHandle TIMERFD_SETTIME = Ffm.downcall(LIBC, "timerfd_settime",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), CRITICAL);

        /** One capture buffer per thread (each loop runs on one), made once: statx allocates nothing. */
        static final ThreadLocal<MemorySegment> STATE = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CALL_STATE));

        private static SymbolLookup lookup(NativeLibrarySpec spec, List<String> symbols) {
            try {
                return Ffm.library(spec, symbols);
            } catch (NativeLibraryUnavailableException e) {
                throw new IllegalStateException(e.getMessage(), e); // load() checked it already
            }
        }

        private static FunctionDescriptor watcherCall() {
            return FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_LONG);
        }

        private static MethodHandle ev(String name, FunctionDescriptor function, Linker.Option... options) {
            return Ffm.downcall(EV, name, function, options);
        }
    }

    @Override
    public String loopName() {
        return "libev-ffm";
    }

    @Override
    public String describe(int major, int minor) {
        return "libev-ffm: libev " + major + "." + minor + " through java.lang.foreign";
    }

    @Override
    public NativeAccess memory() {
        return FfmAccess.INSTANCE;
    }

    @Override
    public int ev_version_major() {
        try {
            return (int) H.EV_VERSION_MAJOR.invokeExact();
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public int ev_version_minor() {
        try {
            return (int) H.EV_VERSION_MINOR.invokeExact();
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public int ev_supported_backends() {
        try {
            return (int) H.EV_SUPPORTED_BACKENDS.invokeExact();
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public int ev_recommended_backends() {
        try {
            return (int) H.EV_RECOMMENDED_BACKENDS.invokeExact();
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public long ev_loop_new(int flags) {
        try {
            return (long) H.EV_LOOP_NEW.invokeExact(flags);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public void ev_loop_destroy(long loop) {
        try {
            H.EV_LOOP_DESTROY.invokeExact(loop);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public int ev_backend(long loop) {
        try {
            return (int) H.EV_BACKEND.invokeExact(loop);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public int ev_run(long loop, int flags) {
        try {
            return (int) H.EV_RUN.invokeExact(loop, flags);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public void ev_now_update(long loop) {
        try {
            H.EV_NOW_UPDATE.invokeExact(loop);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public int ev_iteration(long loop) {
        try {
            return (int) H.EV_ITERATION.invokeExact(loop);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public int ev_pending_count(long loop) {
        try {
            return (int) H.EV_PENDING_COUNT.invokeExact(loop);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public void ev_io_start(long loop, long watcher) {
        try {
            H.EV_IO_START.invokeExact(loop, watcher);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public void ev_io_stop(long loop, long watcher) {
        try {
            H.EV_IO_STOP.invokeExact(loop, watcher);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public void ev_timer_start(long loop, long watcher) {
        try {
            H.EV_TIMER_START.invokeExact(loop, watcher);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public void ev_timer_stop(long loop, long watcher) {
        try {
            H.EV_TIMER_STOP.invokeExact(loop, watcher);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public double ev_timer_remaining(long loop, long watcher) {
        try {
            return (double) H.EV_TIMER_REMAINING.invokeExact(loop, watcher);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public void ev_async_start(long loop, long watcher) {
        try {
            H.EV_ASYNC_START.invokeExact(loop, watcher);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public void ev_async_stop(long loop, long watcher) {
        try {
            H.EV_ASYNC_STOP.invokeExact(loop, watcher);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public void ev_async_send(long loop, long watcher) {
        try {
            H.EV_ASYNC_SEND.invokeExact(loop, watcher);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    /** The stub lives in the global arena: libev keeps the pointer for the life of the process. */
    @Override
    public void ev_set_syserr_cb(SyserrCallback callback) {
        SyserrCallback guarded = message -> {
            try {
                callback.invoke(message);
            } catch (Throwable t) {
                escaped(t);
            }
        };
        long stub = Ffm.upcall(SYSERR_INVOKE.bindTo(guarded), FunctionDescriptor.ofVoid(JAVA_LONG), Arena.global());
        try {
            H.EV_SET_SYSERR_CB.invokeExact(stub);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    /**
     * Upcall stubs in a shared arena of their own (a loop may be destroyed on another thread than
     * the one that made it), freed together when the loop has destroyed its libev loop.
     */
    @Override
    public Upcalls newUpcalls() {
        Arena arena = Arena.ofShared();
        return new Upcalls() {
            @Override
            public long pointer(EvCallback callback) {
                return Ffm.upcall(EV_CALLBACK_INVOKE.bindTo(new Guarded(callback)), EV_CALLBACK, arena);
            }

            @Override
            public void close() {
                arena.close();
            }
        };
    }

    /**
     * The last line of defence of an upcall: the callbacks catch everything and report it to their
     * loop, but should anything still get through (an Error thrown by the error handler itself), it
     * must not reach the upcall stub, where FFM would end the JVM.
     */
    private record Guarded(EvCallback target) implements EvCallback {
        @Override
        public void invoke(long loop, long watcher, int revents) {
            try {
                target.invoke(loop, watcher, revents);
            } catch (Throwable t) {
                escaped(t);
            }
        }
    }

    private static void escaped(Throwable t) {
        try {
            Log.error("libev-ffm: an exception escaped a libev callback's own handling and was dropped, "
                + "so that it cannot end the JVM", t);
        } catch (Throwable ignored) {
            // Nothing may unwind into libev.
        }
    }

    @Override
    public int statx(int dirfd, long pathname, int flags, int mask, long statxbuf) {
        MemorySegment state = H.STATE.get();
        int result;
        try {
            result = (int) H.STATX.invokeExact(state, dirfd, pathname, flags, mask, statxbuf);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
        return result == 0 ? 0 : -state.get(JAVA_INT, H.ERRNO_OFFSET);
    }

    @Override
    public long __errno_location() {
        try {
            return (long) H.ERRNO_LOCATION.invokeExact();
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public long strerror(int errnum) {
        try {
            return (long) H.STRERROR.invokeExact(errnum);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public int pipe(long fds) {
        try {
            return (int) H.PIPE.invokeExact(fds);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
    }

    @Override
    public long write(int fd, long buf, long count) {
        try {
            return (long) H.WRITE.invokeExact(fd, buf, count);
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

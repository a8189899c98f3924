package gevent4j.loops.libev;

import gevent4j.loop.AbstractLoop;
import gevent4j.loop.AnyThread;
import gevent4j.loop.AsyncWatcher;
import gevent4j.loop.HookWatcher;
import gevent4j.loop.IoCallback;
import gevent4j.loop.IoWatcher;
import gevent4j.loop.LoopException;
import gevent4j.loop.RunMode;
import gevent4j.loop.TimerCallback;
import gevent4j.loop.TimerWatcher;
import gevent4j.loops.common.JavaHooks;
import gevent4j.loops.common.JavaTimers;
import gevent4j.loops.common.MultiplexedIoWatcher;
import gevent4j.loops.common.NativeAccess;
import gevent4j.loops.common.TimerFd;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The libev loop: a private {@code ev_loop_new} loop (never the default loop, which would install
 * a SIGCHLD handler racing the JDK's process reaper) driven one {@code ev_run} at a time.
 *
 * <p>What libev does and what Java does. libev owns readiness: its backend (select, poll, epoll,
 * io_uring, ...), the kernel registrations, the wakeup from other threads ({@code ev_async} over
 * an eventfd) and the blocking wait itself. Java owns ordering: the iteration's phases, the timer
 * heap and the hooks, which is where libev differs from the SPI (its timer heap is not stable for
 * equal due times, and its pending queue runs check watchers before io callbacks). So the loop has
 * exactly three kinds of native watcher, each with one dispatcher (a JNR closure or an FFM upcall
 * stub, as the {@link LibevBinding} makes it):
 * <ul>
 *   <li>an {@code ev_io} per descriptor number, with the Java io watchers of that number
 *       multiplexed on it ({@link LibevFds});</li>
 *   <li>one {@code ev_io} on a {@link TimerFd}, armed for the earliest Java timer, that only ends
 *       the wait, to the microsecond (libev's own timers would end it in whole milliseconds: its
 *       epoll backend rounds the timeout up); where the kernel refuses a timerfd, one
 *       {@code ev_timer} instead;</li>
 *   <li>one {@code ev_async}, always started, that wakes the loop for every Java async watcher.</li>
 * </ul>
 * One iteration is the SPI's: update the time, due timers, prepare hooks, flush io changes,
 * {@code ev_run(EVRUN_ONCE or EVRUN_NOWAIT)} (io and async callbacks run inside it), due timers,
 * check hooks, queued callbacks. A blocking {@code ev_run} that returns with nothing done (libev's
 * io_uring backend can, through its lazily re-armed timerfd) is entered again.
 *
 * <p>Note on callbacks and native memory. The dispatchers' native entry points belong to the
 * loop's {@link LibevBinding.Upcalls}, released only in {@link #destroy()} after
 * {@code ev_loop_destroy}; their bodies catch every Throwable (an exception must never unwind into
 * libev; under FFM it would end the JVM), route it to the error handler, and keep an Error the
 * handler rethrows until {@code ev_run} has returned. Native watcher memory is allocated with
 * calloc and freed only in {@link #destroy()}, after {@code ev_loop_destroy}. The only call made
 * from other threads is {@code ev_async_send}, counted in {@link #senders} so that destroy() waits
 * for a send in progress before it frees the loop.
 */
final class LibevLoop extends AbstractLoop {

    private static final VarHandle SENDERS;

    static {
        try {
            SENDERS = MethodHandles.lookup().findVarHandle(LibevLoop.class, "senders", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final LibevLibrary lib;
    private final LibevBinding ev;
    private final NativeAccess mem;
    private final long evLoop;
    private final int backend;

    // Callable from libev for the loop's life: libev holds their addresses in our native watchers.
    private final IoDispatcher ioDispatcher = new IoDispatcher();
    private final TimerDispatcher timerDispatcher = new TimerDispatcher();
    private final DeadlineDispatcher deadlineDispatcher = new DeadlineDispatcher();
    private final AsyncDispatcher asyncDispatcher = new AsyncDispatcher();
    private final LibevBinding.Upcalls upcalls;

    /** The timerfd that ends a wait at the earliest timer, or null (then {@link #masterTimer} does). */
    private final TimerFd deadlineTimer;
    /** The ev_io watching {@link #deadlineTimer}, started for the loop's life; 0 without a timerfd. */
    private final long deadlineIo;
    /** The ev_timer; {@link #masterArmed} while started in libev, for {@link #masterDue}. */
    private final long masterTimer;
    private boolean masterArmed;
    private long masterDue;
    /** The one ev_async, started for the loop's life. */
    private final long wakeup;

    final LibevFds fds;
    private final JavaTimers timers = new JavaTimers(this);
    private final JavaTimers.FailureHandler timerFailed = this::callbackFailed;
    final List<LibevAsyncWatcher> asyncs = new ArrayList<>();
    private LibevAsyncWatcher[] asyncScratch = new LibevAsyncWatcher[4];
    private final JavaHooks prepares = new JavaHooks(this, "prepare");
    private final JavaHooks checks = new JavaHooks(this, "check");
    private final JavaHooks.FailureHandler hookFailed = this::callbackFailed;

    /** The loop's time, valid while {@link #nowStale} is false. */
    private long now;
    /**
     * Set at the start of each iteration and after each poll instead of reading the clock: {@link
     * #now()} reads it at first use. An iteration that starts and runs no timer (an I/O round trip)
     * then reads no clock in Java; libev reads its own inside ev_run. Once read, the value holds
     * until the next of those points, so timers started together still share one due time.
     */
    private boolean nowStale = true;
    private long iteration;
    /** Counts io and async dispatches: a blocking ev_run that leaves it unchanged did nothing. */
    private long progress;
    /** ev_run calls on the stack (callbacks may run the loop again through runPinned). */
    private int nativeDepth;
    /** An Error raised inside a callback, rethrown once ev_run has returned. */
    private Throwable deferred;
    private LoopException syserr;
    private boolean destroyed;
    /** Set before the native loop is released; other threads then no longer call ev_async_send. */
    private volatile boolean released;
    @SuppressWarnings("unused") // through SENDERS
    private volatile int senders;

    /** With {@code useTimerFd} false, the ev_timer bounds every wait (as where the kernel refuses a timerfd). */
    LibevLoop(LibevLibrary lib, String backendSetting, boolean useTimerFd) {
        this.lib = lib;
        this.ev = lib.ev;
        this.mem = lib.mem;
        int flags = LibevBackends.parse(backendSetting, lib.supported, lib.supported & ~lib.refused);
        if ((flags & lib.refused) != 0) {
            throw new IllegalArgumentException("libev_backend=" + backendSetting + ": " + lib.refusal
                + "; usable here: " + LibevBackends.names(lib.supported & ~lib.refused));
        }
        long l = ev.ev_loop_new(LibevLibrary.LOOP_FLAGS | flags);
        if (l == 0) {
            String supported = LibevBackends.names(lib.supported);
            if (flags == 0) {
                throw new IllegalStateException("libev: ev_loop_new failed with the recommended backends ("
                    + LibevBackends.names(lib.recommended) + ")");
            }
            throw new IllegalArgumentException("libev_backend=" + backendSetting + ": libev could not start "
                + LibevBackends.names(flags) + " here (ev_loop_new returned NULL: the kernel, a seccomp filter "
                + "or a descriptor limit refuses it); this libev build supports " + supported);
        }
        this.evLoop = l;
        this.backend = ev.ev_backend(l);
        LibevLayout layout = lib.layout;
        long timer = 0;
        long async = 0;
        long deadlineWatcher = 0;
        TimerFd timerFd = null;
        this.upcalls = ev.newUpcalls();
        try {
            long ioCallback = upcalls.pointer(ioDispatcher);
            timer = mem.allocate("libev ev_timer", layout.timerSize());
            mem.putLong(timer + layout.cb(), upcalls.pointer(timerDispatcher));
            async = mem.allocate("libev ev_async", layout.asyncSize());
            mem.putLong(async + layout.cb(), upcalls.pointer(asyncDispatcher));
            this.fds = new LibevFds(this, lib, evLoop, ioCallback);
            timerFd = useTimerFd ? TimerFd.open(ev, mem) : null;
            if (timerFd != null) {
                deadlineWatcher = mem.allocate("libev ev_io (timerfd)", layout.ioSize());
                mem.putLong(deadlineWatcher + layout.cb(), upcalls.pointer(deadlineDispatcher));
                mem.putInt(deadlineWatcher + layout.ioFd(), timerFd.fd());
                mem.putInt(deadlineWatcher + layout.ioEvents(), LibevLibrary.EV_READ | LibevLibrary.EV__IOFDSET);
            }
        } catch (RuntimeException | Error e) {
            ev.ev_loop_destroy(l);
            upcalls.close();
            mem.free(timer);
            mem.free(async);
            mem.free(deadlineWatcher);
            if (timerFd != null) {
                timerFd.close();
            }
            throw e;
        }
        this.masterTimer = timer;
        this.wakeup = async;
        this.deadlineTimer = timerFd;
        this.deadlineIo = deadlineWatcher;
        ev.ev_async_start(evLoop, wakeup);
        if (deadlineTimer != null) {
            ev.ev_io_start(evLoop, deadlineIo);
        }
        initThreadsafeCallbacks();
    }

    @Override
    public String name() {
        return ev.loopName();
    }

    @Override
    public String describe() {
        return lib.describe(backend);
    }

    /** 1 ns with a timerfd: timers are not rounded; 1 ms without (libev's own timeouts). */
    @Override
    public long timerResolutionNanos() {
        return deadlineTimer != null ? 1L : super.timerResolutionNanos();
    }

    @Override
    public long now() {
        if (nowStale) {
            now = System.nanoTime();
            nowStale = false;
        }
        return now;
    }

    @Override
    public void updateNow() {
        now = System.nanoTime();
        nowStale = false;
    }

    @Override
    public IoWatcher io(int fd, int events, IoCallback callback) {
        checkNotDestroyed();
        return new MultiplexedIoWatcher(this, fds, READ | WRITE, fd, events, callback); // libev asserts on any other bit
    }

    @Override
    public TimerWatcher timer(TimerCallback callback) {
        checkNotDestroyed();
        return timers.newWatcher(callback);
    }

    @Override
    public AsyncWatcher async(Runnable callback) {
        checkNotDestroyed();
        return new LibevAsyncWatcher(this, callback);
    }

    @Override
    public HookWatcher prepare(Runnable callback) {
        checkNotDestroyed();
        return prepares.newWatcher(callback);
    }

    @Override
    public HookWatcher check(Runnable callback) {
        checkNotDestroyed();
        return checks.newWatcher(callback);
    }

    @Override
    public void fdClosing(int fd) {
        fds.closing(fd);
    }

    @Override
    @AnyThread
    public void fdClosedElsewhere(int fd) {
        fds.closedElsewhere(fd);
    }

    /** Throws IllegalStateException once the loop is destroyed; any thread. */
    void checkUsable() {
        checkNotDestroyed();
    }

    // ---- timers -------------------------------------------------------------------------------

    /** Fires due timers (see {@link JavaTimers#runDue}). */
    private boolean runTimers() {
        return timers.size() != 0 && timers.runDue(now(), timerFailed);
    }

    /** Makes the wait end no later than {@code due}: through the timerfd, or libev's ev_timer. */
    private void wakeAt(long due) {
        if (deadlineTimer != null) {
            deadlineTimer.wakeAt(due);
        } else {
            armMaster(due);
        }
    }

    /**
     * Makes libev's ev_timer end the wait no later than {@code due}. An ev_timer already armed for
     * an earlier time is left alone: it wakes the loop early, which the poll re-checks, and that is
     * cheaper than re-arming for every timer restarted later (a timeout pushed back per read).
     */
    private void armMaster(long due) {
        if (masterArmed) {
            if (masterDue - due <= 0) {
                return;
            }
            ev.ev_timer_stop(evLoop, masterTimer);
        }
        // ev_timer_start adds libev's cached monotonic time to `at`: refresh it first, and measure
        // the delay from a clock reading taken before, so that libev never wakes before `due`.
        long before = System.nanoTime();
        ev.ev_now_update(evLoop);
        mem.putDouble(masterTimer + lib.layout.timerAt(), Math.max(0L, due - before) / 1e9);
        ev.ev_timer_start(evLoop, masterTimer);
        masterArmed = true;
        masterDue = due;
    }

    // ---- wakeups ------------------------------------------------------------------------------

    /** From {@link LibevAsyncWatcher#send()}, on any thread: the only libev call other threads make. */
    @AnyThread
    void wakeup() {
        SENDERS.getAndAdd(this, 1);
        try {
            if (!released) {
                ev.ev_async_send(evLoop, wakeup);
            }
        } finally {
            SENDERS.getAndAdd(this, -1);
        }
    }

    private void runAsyncs() {
        int n = asyncs.size();
        if (asyncScratch.length < n) {
            asyncScratch = new LibevAsyncWatcher[n * 2];
        }
        LibevAsyncWatcher[] snapshot = asyncs.toArray(asyncScratch);
        for (int i = 0; i < n; i++) {
            LibevAsyncWatcher a = snapshot[i];
            snapshot[i] = null;
            if (a.isActive() && a.pending.getAndSet(false)) {
                try {
                    a.invoke();
                } catch (Throwable t) {
                    callbackFailed(a, t);
                }
            }
        }
    }

    // ---- the iteration ------------------------------------------------------------------------

    @Override
    public boolean run(RunMode mode) {
        checkNotDestroyed();
        LibevSyserr.enter(this);
        do {
            iterate(mode);
        } while (mode == RunMode.DEFAULT && alive());
        return alive();
    }

    private boolean alive() {
        return activeReferences() > 0 || hasCallbacks();
    }

    private void iterate(RunMode mode) {
        iteration++;
        nowStale = true;
        // A timer that fired before the poll is this iteration's progress: do not block on top of it.
        boolean timersFired = runTimers();
        prepares.run(hookFailed);
        // DEFAULT returns once no referenced watcher is active, so it must not sleep for
        // unreferenced ones alone; ONCE does (the Hub sleeps with only its unreferenced wakeup).
        boolean mayBlock = mode == RunMode.ONCE || (mode == RunMode.DEFAULT && activeReferences() > 0);
        poll(mayBlock && !timersFired && !hasCallbacks(), false, 0);
        nowStale = true;
        runTimers();
        checks.run(hookFailed);
        runCallbacks();
    }

    @Override
    public void runPinned(long maxWaitNanos) {
        checkNotDestroyed();
        LibevSyserr.enter(this);
        iteration++;
        nowStale = true;
        boolean timersFired = runTimers();
        poll(maxWaitNanos != 0 && !timersFired, maxWaitNanos > 0, maxWaitNanos > 0 ? now() + maxWaitNanos : 0);
        nowStale = true;
        runTimers();
    }

    /**
     * Applies io changes and runs libev once: without blocking, or blocking until an io or async
     * event, the earliest timer, or {@code deadline}.
     */
    private void poll(boolean block, boolean hasDeadline, long deadline) {
        fds.flush();
        if (!block) {
            evRun(LibevLibrary.EVRUN_NOWAIT);
            return;
        }
        while (true) {
            long next = timers.nextDue();
            boolean bounded = hasDeadline || next != JavaTimers.NONE;
            long due = next == JavaTimers.NONE ? deadline : hasDeadline && deadline - next < 0 ? deadline : next;
            if (bounded) {
                if (due - System.nanoTime() <= JavaTimers.SHORT_WAIT_NANOS) {
                    evRun(LibevLibrary.EVRUN_NOWAIT); // not worth blocking for: see SHORT_WAIT_NANOS
                    return;
                }
                wakeAt(due);
            } else if (deadlineTimer != null) {
                deadlineTimer.disarmIfReadable();
            }
            long before = progress;
            evRun(LibevLibrary.EVRUN_ONCE);
            if (progress != before) {
                return;
            }
            // Woken with nothing done: by the timer (due now, or armed early), or spuriously.
            if (bounded && due - System.nanoTime() <= 0) {
                return;
            }
            fds.flush();
        }
    }

    private void evRun(int flags) {
        nativeDepth++;
        try {
            ev.ev_run(evLoop, flags);
        } finally {
            nativeDepth--;
        }
        if (nativeDepth == 0) {
            rethrowFromNative();
        }
    }

    private void rethrowFromNative() {
        Throwable t = deferred;
        if (t != null) {
            deferred = null;
            if (t instanceof Error e) {
                throw e;
            }
            throw (RuntimeException) t;
        }
        LoopException e = syserr;
        if (e != null) {
            syserr = null;
            throw e;
        }
    }

    /** From {@link LibevSyserr} on this loop's thread, inside a libev call. */
    void syserr(String operation, int errno, String errName) {
        if (syserr == null) {
            syserr = new LoopException(operation, errno, errName);
        }
    }

    /**
     * Reports a callback failure. Inside ev_run nothing may propagate: an Error that the handler
     * rethrows (a VirtualMachineError) is kept and rethrown once ev_run has returned.
     */
    void callbackFailed(Object context, Throwable t) {
        if (nativeDepth == 0) {
            handleError(String.valueOf(context), t);
            return;
        }
        try {
            handleError(String.valueOf(context), t);
        } catch (Throwable fatal) {
            if (deferred == null && (fatal instanceof Error || fatal instanceof RuntimeException)) {
                deferred = fatal;
            }
        }
    }


    // ---- dispatchers (upcalls from ev_run) -----------------------------------------------------

    /** Called by libev for a descriptor's ev_io. */
    private final class IoDispatcher implements LibevBinding.EvCallback {
        @Override
        public void invoke(long loop, long watcher, int revents) {
            try {
                progress++;
                fds.dispatch(watcher, revents, iteration);
            } catch (Throwable t) {
                callbackFailed("libev io dispatch", t);
            }
        }
    }

    /** Called by libev when the ev_timer bounding the wait expires: libev already stopped it. */
    private final class TimerDispatcher implements LibevBinding.EvCallback {
        @Override
        public void invoke(long loop, long watcher, int revents) {
            masterArmed = false; // a field write: nothing here can throw into libev
        }
    }

    /** Called by libev when the timerfd became readable: the wait's deadline passed. */
    private final class DeadlineDispatcher implements LibevBinding.EvCallback {
        @Override
        public void invoke(long loop, long watcher, int revents) {
            deadlineTimer.expired(); // field writes: nothing here can throw into libev
        }
    }

    /** Called by libev after an ev_async_send on the loop's ev_async. */
    private final class AsyncDispatcher implements LibevBinding.EvCallback {
        @Override
        public void invoke(long loop, long watcher, int revents) {
            try {
                progress++;
                runAsyncs();
            } catch (Throwable t) {
                callbackFailed("libev async dispatch", t);
            }
        }
    }

    // ---- diagnostics and teardown -------------------------------------------------------------

    /** libev's own iteration count (ev_iteration): how often ev_run polled, for tests. */
    int libevIterations() {
        return ev.ev_iteration(evLoop);
    }

    @Override
    public String debug() {
        StringBuilder out = new StringBuilder(super.debug());
        out.append("; ").append(describe()).append(", iteration ").append(iteration)
            .append(", ").append(activeReferences()).append(" active references");
        if (!destroyed) {
            out.append(", libev iteration ").append(ev.ev_iteration(evLoop))
                .append(", ").append(ev.ev_pending_count(evLoop)).append(" pending in libev");
        }
        long next = timers.nextDue();
        out.append("\n  ").append(timers.size()).append(" timers");
        if (next != JavaTimers.NONE) {
            out.append(", next due in ").append((next - System.nanoTime()) / 1000).append(" us");
        }
        out.append(deadlineTimer != null ? "; " + deadlineTimer : masterArmed ? "; libev timer armed" : "; libev timer idle");
        for (LibevAsyncWatcher a : asyncs) {
            out.append("\n  ").append(a);
        }
        prepares.describe(out);
        checks.describe(out);
        fds.describe(out);
        return out.toString();
    }

    @Override
    public void destroy() {
        if (destroyed) {
            return;
        }
        if (nativeDepth != 0) {
            throw new IllegalStateException("destroy() must not be called from a callback of the libev loop it destroys");
        }
        destroyThreadsafeCallbacks();
        destroyed = true;
        released = true;
        // A send() that passed its check before `released` was set may still be inside
        // ev_async_send; the loop's memory must outlive it.
        for (int spins = 0; (int) SENDERS.getVolatile(this) != 0; spins++) {
            if ((spins & 0xff) == 0xff) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
        stopAllWatchers();
        ev.ev_async_stop(evLoop, wakeup);
        if (deadlineTimer != null) {
            ev.ev_io_stop(evLoop, deadlineIo);
        }
        ev.ev_loop_destroy(evLoop);
        upcalls.close();
        fds.free();
        mem.free(masterTimer);
        mem.free(wakeup);
        if (deadlineTimer != null) {
            deadlineTimer.close();
            mem.free(deadlineIo);
        }
        LibevSyserr.forget(this);
    }

    /** destroy() stops every watcher, as {@link gevent4j.loop.Loop#destroy()} says; no CLOSED call. */
    private void stopAllWatchers() {
        fds.stopAll();
        timers.stopAll();
        if (masterArmed) {
            ev.ev_timer_stop(evLoop, masterTimer);
            masterArmed = false;
        }
        while (!asyncs.isEmpty()) {
            asyncs.get(asyncs.size() - 1).stop();
        }
        prepares.stopAll();
        checks.stopAll();
    }
}

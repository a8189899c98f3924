package gevent4j.loops.libuv;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The libuv loop: a {@code uv_loop_t} of its own ({@code uv_loop_init} into memory allocated here;
 * never {@code uv_default_loop()}, whose child handling would race the JDK's process reaper), driven
 * one {@code uv_run} per iteration that may block.
 *
 * <p>The iteration is the SPI's (timers, prepare hooks, poll, timers, check hooks, callbacks) and is
 * run here in Java; {@code uv_run} is only its poll step. That keeps the order, which libuv does
 * differently in places (its hooks run newest first, its {@code UV_RUN_ONCE} runs timers after the
 * check phase), and lets {@link #runPinned(long)} skip the hooks. Inside {@code uv_run} libuv polls
 * and calls back for io and closes handles; nothing else.
 *
 * <p>Io: libuv polls one descriptor for the application's, the loop's own nested epoll set
 * ({@link EpollSet}, filled by {@link PollTable}), through one {@code uv_poll_t}. When libuv reports
 * it readable, its callback drains the set with a non-blocking {@code epoll_wait} and dispatches.
 * A poll that may not block skips {@code uv_run} altogether and drains the set directly: libuv
 * would only make the same non-blocking check of a set that holds nothing else of interest (the
 * wakeup's eventfd needs no draining there: {@link #runAsyncs()} goes by a Java flag, and a
 * still-readable eventfd only ends the next blocking {@code uv_run} early). A poll that may block
 * does the same first when the previous poll found io ({@link #ioBusy}), and runs {@code uv_run}
 * only when that finds nothing. So an iteration of a busy loop makes one {@code epoll_wait}, as on
 * the jdk loop; an iteration that sleeps makes two (libuv's, which blocks, and the drain), three
 * when it follows one that found io (the look first, which found nothing).
 *
 * <p>Timers live in a Java heap with nanosecond due times in {@link #now()} (the JDK's monotonic
 * clock), like the jdk loop's, so that none fires before its due time in loop time, zero and negative
 * delays fire in the next pass, and equal due times fire in start order, none of which libuv's
 * millisecond timers promise. A {@link TimerFd} in the nested set ends a blocking {@code uv_run} at
 * the earliest due time, to the microsecond: libuv's own timers would end it in whole milliseconds
 * (its epoll timeout), so a 10.2 ms sleep would last 11. One {@code uv_timer_t}, the driver, keeps
 * libuv alive: a {@code uv_run} with no active referenced handle returns without polling, and this
 * loop decides blocking itself (references are counted in Java), so the driver is always active
 * and referenced, due in 35 years. Where the kernel refuses a timerfd the driver bounds the wait
 * instead: before a blocking run it is set to the earliest due time, rounded up to libuv's
 * milliseconds; when it fires, it stops the {@code uv_run} ({@link #onDriverTimer}), wherever in it
 * that is. A poll that still wakes early only costs an iteration: timers fire by the Java clock.
 *
 * <p>Threading: only the owner thread calls libuv, except {@code uv_async_send}. All async watchers
 * share one {@code uv_async_t}; other threads write it only when the loop may be sleeping
 * ({@link #awake}, as in the jdk loop), and never after {@link #destroy()} began to close it
 * ({@link #senders}).
 *
 * <p>Note on callbacks: JNR holds a callback object only weakly, and a collected one makes the next
 * {@code uv_run} fail, so each is a field of the loop, created once, for the loop's life. A Throwable
 * must never unwind into libuv: each callback catches everything; what the error handler does not
 * absorb (a {@link VirtualMachineError}) stops {@code uv_run} and is rethrown once it returned.
 */
final class LibuvLoop extends AbstractLoop {

    /** libuv timeouts are uint64 milliseconds; this one (35 years) stands for "no timer". */
    private static final long FOREVER_MS = 1L << 40;
    /** Bound on the uv_run(NOWAIT) passes destroy() makes for close callbacks (one normally does). */
    private static final int CLOSE_PASSES = 64;

    final Libuv uv;
    final NativeAccess mem;
    private final LibuvLayout layout;
    final long uvLoop;
    private final long driver;
    /** Ends a blocking uv_run at the earliest timer; null where the kernel refuses a timerfd. */
    private final TimerFd deadlineTimer;
    private final long wakeupHandle;
    /** The nested epoll set and the one {@code uv_poll_t} through which libuv watches it. */
    private final EpollSet epoll;
    private final long epollHandle;
    final PollTable polls;

    /** The callbacks' C entry points, callable until the libuv loop is closed. */
    private final Libuv.Upcalls upcalls;
    final long pollCallback;
    private final long closeCallback;
    private final long timerCallback;
    private final long walkCallback;

    private final JavaTimers timers = new JavaTimers(this);
    private final JavaTimers.FailureHandler timerFailed = (timer, error) -> handleError(timer.toString(), error);
    final List<LibuvAsyncWatcher> asyncs = new ArrayList<>();
    private final JavaHooks prepares = new JavaHooks(this, "prepare");
    private final JavaHooks checks = new JavaHooks(this, "check");
    private final JavaHooks.FailureHandler hookFailed = (hook, error) -> handleError(hook.toString(), error);

    long iteration;
    /** Handles given to uv_close whose close callback has not run yet. */
    private int closing;
    /** The loop's time, valid while {@link #nowStale} is false. */
    private long now;
    /**
     * Set at the start of each iteration and after each poll instead of reading the clock: {@link
     * #now()} reads it at first use. An iteration that starts and runs no timer (an I/O round trip)
     * then reads no clock in Java; libuv reads its own inside uv_run. Once read, the value holds
     * until the next of those points, so timers started together still share one due time.
     */
    private boolean nowStale = true;
    private boolean destroyed;
    /**
     * Inside the poll step (uv_run, or a direct drain of the nested set): libuv is not re-entrant,
     * the loop may not be run from its own io callbacks, and destroy() must wait for the poll to return.
     */
    private boolean polling;
    /**
     * The last poll dispatched io: the next one that may block looks at the nested set first and
     * skips uv_run when that finds io (see the class comment).
     */
    private boolean ioBusy;
    /** Events the uv_poll_t's callback drained during the current uv_run. */
    private int drainedByLibuv;
    private boolean teardownPending;
    /** What a callback could not report (see the class comment); rethrown after uv_run. */
    private Throwable fatal;
    private Map<String, int[]> walkCounts;
    /**
     * What the driver is armed for: the due time ({@link #now()} nanoseconds) of the timer it waits
     * for, {@link #NO_TIMER}, or {@link #UNKNOWN} (armed for something else, or fired).
     */
    private long driverArmedFor = NO_TIMER;
    private static final long NO_TIMER = JavaTimers.NONE;
    private static final long UNKNOWN = Long.MIN_VALUE;

    /** False only while the loop may block in uv_run: other threads then write the uv_async_t. */
    private final AtomicBoolean awake = new AtomicBoolean(true);
    private volatile boolean asyncPending;
    /** Threads inside uv_async_send; destroy() waits for none before it closes the handle. */
    private final AtomicInteger senders = new AtomicInteger();
    private volatile boolean wakeupClosed;

    /** With {@code useTimerFd} false, the driver bounds every wait (as where the kernel refuses a timerfd). */
    LibuvLoop(LibuvProbe probe, boolean useTimerFd) {
        this.uv = probe.uv();
        this.mem = uv.memory();
        this.layout = probe.layout();
        this.upcalls = uv.newUpcalls();
        this.pollCallback = upcalls.poll(this::onPoll);
        this.closeCallback = upcalls.handle(this::onClose);
        this.timerCallback = upcalls.handle(this::onDriverTimer);
        this.walkCallback = upcalls.walk(this::onWalk);

        this.uvLoop = mem.allocate("uv_loop_t", layout.loopSize());
        int rc = uv.uv_loop_init(uvLoop);
        if (rc != 0) {
            mem.free(uvLoop);
            upcalls.close();
            throw error("uv_loop_init", rc);
        }
        this.driver = mem.allocate("uv_timer_t", layout.timerSize());
        uv.uv_timer_init(uvLoop, driver); // cannot fail on Unix
        uv.uv_timer_start(driver, timerCallback, FOREVER_MS, FOREVER_MS);
        this.wakeupHandle = mem.allocate("uv_async_t", layout.asyncSize());
        rc = uv.uv_async_init(uvLoop, wakeupHandle, 0L); // no callback: runAsyncs() does the work
        if (rc != 0) {
            mem.free(wakeupHandle); // never initialised
            closeHandle(driver);
            closeLoop();
            throw error("uv_async_init", rc);
        }
        EpollSet set;
        try {
            set = EpollSet.create(uv, probe.libc());
        } catch (RuntimeException | OutOfMemoryError e) {
            closeHandle(wakeupHandle);
            closeHandle(driver);
            closeLoop();
            throw e;
        }
        this.epoll = set;
        this.epollHandle = mem.allocate("uv_poll_t", layout.pollSize());
        rc = uv.uv_poll_init(uvLoop, epollHandle, epoll.fd());
        if (rc != 0) {
            mem.free(epollHandle); // never initialised
        } else {
            rc = uv.uv_poll_start(epollHandle, Libuv.UV_READABLE, pollCallback);
            if (rc != 0) {
                closeHandle(epollHandle);
            }
        }
        if (rc != 0) {
            closeHandle(wakeupHandle);
            closeHandle(driver);
            closeLoop();
            epoll.close();
            throw error("uv_poll_init/uv_poll_start on the nested epoll descriptor", rc);
        }
        this.polls = new PollTable(this, epoll);
        TimerFd timerFd = useTimerFd ? TimerFd.open(probe.libc(), mem) : null;
        if (timerFd != null && polls.addInternal(timerFd.fd(), Libc.EPOLLIN, this::onDeadline) != 0) {
            timerFd.close();
            timerFd = null;
        }
        this.deadlineTimer = timerFd;
        initThreadsafeCallbacks();
    }

    private LoopException error(String operation, int rc) {
        return new LoopException(operation, -rc, uv.uv_err_name(rc));
    }

    @Override
    public String name() {
        return uv.loopName();
    }

    @Override
    public String describe() {
        return uv.describe(layout.versionString()) + ", backend " + layout.backend()
            + " (descriptors in a nested epoll set of gevent4j's own, behind one uv_poll_t; timers in a Java heap)";
    }

    /** 1 ns with a timerfd: timers are not rounded; 1 ms without (libuv's own timeouts). */
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
        return new MultiplexedIoWatcher(this, polls, -1, fd, events, callback);
    }

    @Override
    public TimerWatcher timer(TimerCallback callback) {
        checkNotDestroyed();
        return timers.newWatcher(callback);
    }

    @Override
    public AsyncWatcher async(Runnable callback) {
        checkNotDestroyed();
        return new LibuvAsyncWatcher(this, callback);
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
        if (!destroyed) {
            polls.fdClosing(fd);
        }
    }

    @Override
    @AnyThread
    public void fdClosedElsewhere(int fd) {
        if (!wakeupClosed) {
            polls.closedElsewhere(fd);
            wakeup(); // a sleeping loop re-registers the number now rather than at its next event
        }
    }

    // ---- timers -------------------------------------------------------------------------------

    /** Fires due timers (see {@link JavaTimers#runDue}). */
    private boolean runTimers() {
        return timers.size() != 0 && timers.runDue(now(), timerFailed);
    }

    /** The earliest due time, or {@link #NO_TIMER}. */
    private long nextDue() {
        return timers.nextDue();
    }

    /** Milliseconds until the earliest timer, rounded up; -1 when there is none. */
    private int timeoutMillis() {
        return timers.size() == 0 ? -1 : timers.timeoutMillis(now());
    }

    // ---- wakeups ------------------------------------------------------------------------------

    /** Makes the loop thread run its asyncs soon; any thread. */
    @AnyThread
    void wakeup() {
        asyncPending = true;
        // A plain read first: the loop is usually awake, and then no atomic write is needed.
        if (!awake.get() && !awake.getAndSet(true)) {
            senders.incrementAndGet();
            try {
                if (!wakeupClosed) {
                    uv.uv_async_send(wakeupHandle);
                }
            } finally {
                senders.decrementAndGet();
            }
        }
    }

    private void runAsyncs() {
        if (!asyncPending) {
            return;
        }
        asyncPending = false;
        for (int i = 0; i < asyncs.size(); i++) {
            LibuvAsyncWatcher a = asyncs.get(i);
            if (a.pending.getAndSet(false)) {
                try {
                    a.invoke();
                } catch (Throwable t) {
                    handleError("async callback", t);
                }
            }
        }
    }

    // ---- the iteration ------------------------------------------------------------------------

    @Override
    public boolean run(RunMode mode) {
        checkRunnable();
        do {
            iterate(mode);
        } while (mode == RunMode.DEFAULT && alive() && !destroyed);
        return alive();
    }

    private void checkRunnable() {
        checkNotDestroyed();
        if (polling) {
            throw new IllegalStateException("the libuv loop must not be run from one of its own io callbacks");
        }
    }

    private boolean alive() {
        return activeReferences() > 0 || hasCallbacks();
    }

    private void iterate(RunMode mode) {
        iteration++;
        nowStale = true;
        // As in the jdk loop: a timer that fired before the poll is this iteration's progress, so the
        // poll does not block on top of it.
        boolean timersFired = runTimers();
        prepares.run(hookFailed);
        polls.flush();
        int timeout = 0;
        // DEFAULT returns once no referenced watcher is active, so it never sleeps for unreferenced
        // ones alone; ONCE does (the Hub sleeps in it with only its unreferenced async watcher).
        boolean mayBlock = mode == RunMode.ONCE || (mode == RunMode.DEFAULT && activeReferences() > 0);
        if (mayBlock && !timersFired && !hasCallbacks()) {
            awake.set(false);
            // Re-check after publishing that we may sleep: a racing wakeup() either sees awake ==
            // false and sends, or set asyncPending before we read it here.
            timeout = asyncPending ? 0 : timeoutMillis();
        }
        long due = nextDue();
        poll(timeout, due, due);
        nowStale = true;
        runTimers();
        checks.run(hookFailed);
        runCallbacks();
    }

    @Override
    public void runPinned(long maxWaitNanos) {
        checkRunnable();
        iteration++;
        nowStale = true;
        boolean timersFired = runTimers();
        polls.flush();
        int limit = maxWaitNanos < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, (maxWaitNanos + 999_999L) / 1_000_000L);
        int timeout = 0;
        long armedFor = nextDue();
        long wakeAt = armedFor;
        if (limit != 0 && !timersFired) {
            awake.set(false);
            timeout = asyncPending ? 0 : timeoutMillis();
            if (limit > 0 && (timeout < 0 || limit < timeout)) {
                timeout = limit;
                armedFor = UNKNOWN;
            }
            if (maxWaitNanos > 0 && (wakeAt == NO_TIMER || now() + maxWaitNanos - wakeAt < 0)) {
                wakeAt = now() + maxWaitNanos;
            }
        }
        poll(timeout, armedFor, wakeAt);
        nowStale = true;
        runTimers();
    }

    /**
     * The poll step, blocking until {@code wakeAt} ({@link #now()} time, {@link #NO_TIMER}: no bound)
     * through the timerfd, or without one for at most {@code timeoutMillis} (-1: no bound, 0: none),
     * the wait for the timer due at {@code armedFor} ({@link #NO_TIMER}, {@link #UNKNOWN}); a direct drain
     * of the nested set when it may not block or when the last poll found io, then, if it may block
     * and found nothing, one uv_run (see the class comment).
     */
    private void poll(int timeoutMillis, long armedFor, long wakeAt) {
        polling = true;
        try {
            int found = 0;
            if (timeoutMillis == 0 || ioBusy) {
                found = polls.drain();
            }
            if (found == 0 && timeoutMillis != 0 && !destroyed) {
                if (deadlineTimer == null) {
                    armDriver(timeoutMillis, armedFor);
                } else if (wakeAt == NO_TIMER) {
                    deadlineTimer.disarmIfReadable(); // an expired timerfd would end every wait at once
                } else {
                    deadlineTimer.wakeAt(wakeAt);
                }
                drainedByLibuv = 0;
                uv.uv_run(uvLoop, Libuv.UV_RUN_ONCE);
                found = drainedByLibuv;
            }
            ioBusy = found > 0;
        } finally {
            polling = false;
            awake.lazySet(true);
        }
        if (teardownPending) {
            teardown(); // destroy() was called from a callback of this uv_run
        }
        if (fatal != null) {
            rethrowFatal();
        }
        runAsyncs();
    }

    /** Bounds the coming uv_run by the driver; the Hub often sleeps again for the same timer, still armed then. */
    private void armDriver(int timeoutMillis, long armedFor) {
        if (armedFor == UNKNOWN || armedFor != driverArmedFor) {
            // uv_timer_start counts from the loop's cached time, which may be old: refresh it first.
            uv.uv_update_time(uvLoop);
            uv.uv_timer_start(driver, timerCallback, timeoutMillis < 0 ? FOREVER_MS : timeoutMillis, FOREVER_MS);
            driverArmedFor = armedFor;
        }
    }

    private void rethrowFatal() {
        Throwable t = fatal;
        fatal = null;
        if (t instanceof Error e) {
            throw e;
        }
        if (t instanceof RuntimeException e) {
            throw e;
        }
        throw new LoopException("a libuv callback failed", t);
    }


    // ---- callbacks from libuv (see "Note on callbacks") ---------------------------------------

    /**
     * libuv saw the nested epoll set readable. An epoll descriptor reports no POLLERR, on which libuv
     * would stop the handle ({@code status < 0}); should it happen, the handle is started again, or
     * the loop would never hear of io again.
     */
    private void onPoll(long handle, int status, int events) {
        try {
            if (status < 0) {
                int rc = uv.uv_poll_start(epollHandle, Libuv.UV_READABLE, pollCallback);
                if (rc != 0) {
                    handleError("the nested epoll set's uv_poll_t", error("uv_poll_start", rc));
                }
            }
            drainedByLibuv += polls.drain();
        } catch (Throwable t) {
            deferFatal(t);
        }
    }

    /** The timerfd in the nested set became readable: the wait's deadline passed. */
    private void onDeadline(int epollEvents) {
        deadlineTimer.expired();
    }

    /**
     * The driver fired: it is due, so the poll must end, and its repeat (FOREVER_MS, which keeps it
     * active) must not bound the poll instead. uv_run fires due timers before it polls too: a driver
     * already due when uv_run began (a stall after the clock was read, or a driver still armed from
     * an earlier poll that io ended early) fires there, and uv_run would then block on the repeat,
     * for good with no io: the timer it stood for lost. uv_stop makes that poll non-blocking (libuv's
     * backend timeout is 0 once stop_flag is set, and uv_run clears the flag when it returns). The
     * loop then sees by its own clock whether the timer is due, and re-arms the driver if not.
     */
    private void onDriverTimer(long handle) {
        try {
            driverArmedFor = UNKNOWN;
            uv.uv_stop(uvLoop);
        } catch (Throwable t) {
            deferFatal(t);
        }
    }

    private void onClose(long handle) {
        try {
            mem.free(handle);
            closing--;
        } catch (Throwable t) {
            deferFatal(t);
        }
    }

    private void onWalk(long handle, long arg) {
        try {
            String kind = uv.uv_handle_type_name(uv.uv_handle_get_type(handle));
            int[] counts = walkCounts.computeIfAbsent(kind, k -> new int[2]);
            counts[0]++;
            counts[1] += uv.uv_is_active(handle) != 0 ? 1 : 0;
        } catch (Throwable t) {
            deferFatal(t);
        }
    }

    private void deferFatal(Throwable t) {
        if (fatal == null) {
            fatal = t;
        }
        uv.uv_stop(uvLoop);
    }

    /** Errors of watcher callbacks that PollTable runs; the handler must not throw. */
    void reportError(String context, Throwable error) {
        handleError(context, error);
    }

    /** uv_close with the loop's close callback, which frees the memory at the end of the iteration. */
    void closeHandle(long handle) {
        closing++;
        uv.uv_close(handle, closeCallback);
    }

    /** Throws IllegalStateException once the loop is destroyed; any thread. */
    void checkUsable() {
        checkNotDestroyed();
    }

    // ---- diagnostics and destruction ----------------------------------------------------------

    @Override
    public String debug() {
        return super.debug() + "; libuv " + layout.versionString() + ", " + polls.describe(32) + "; "
            + timers.size() + " timers (" + (deadlineTimer != null ? deadlineTimer : "driver in milliseconds") + "), "
            + prepares.size() + " prepare and " + checks.size() + " check hooks, "
            + asyncs.size() + " async watchers, " + activeReferences() + " active references, " + closing
            + " handles closing, iteration " + iteration + "; libuv's handles: " + walkHandles();
    }

    /** What uv_walk sees, by type: {@code poll x3 (2 active)}. Includes the driver and the wakeup. */
    private String walkHandles() {
        if (destroyed) {
            return "none (destroyed)";
        }
        walkCounts = new TreeMap<>();
        try {
            uv.uv_walk(uvLoop, walkCallback, 0L);
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<String, int[]> e : walkCounts.entrySet()) {
                sb.append(sb.isEmpty() ? "" : ", ").append(e.getKey()).append(" x").append(e.getValue()[0])
                    .append(" (").append(e.getValue()[1]).append(" active)");
            }
            return sb.isEmpty() ? "none" : sb.toString();
        } finally {
            walkCounts = null;
        }
    }

    @Override
    public void destroy() {
        if (destroyed) {
            return;
        }
        destroyThreadsafeCallbacks();
        destroyed = true;
        stopAllWatchers();
        if (polling) {
            // Called from an io callback: the poll (maybe libuv) still runs; finish once it returned.
            teardownPending = true;
            uv.uv_stop(uvLoop);
            return;
        }
        teardown();
    }

    /** destroy() stops every watcher, as {@link gevent4j.loop.Loop#destroy()} says; no CLOSED call. */
    private void stopAllWatchers() {
        polls.closeAll();
        timers.stopAll();
        while (!asyncs.isEmpty()) {
            asyncs.get(asyncs.size() - 1).stop();
        }
        prepares.stopAll();
        checks.stopAll();
    }

    /** Closes the native handles, runs the loop until their close callbacks ran, closes and frees it. */
    private void teardown() {
        teardownPending = false;
        wakeupClosed = true;
        while (senders.get() != 0) {
            Thread.onSpinWait(); // a uv_async_send in flight: it returns within microseconds
        }
        polls.closeAll();
        if (deadlineTimer != null) {
            polls.removeInternal(deadlineTimer.fd());
            deadlineTimer.close();
        }
        closeHandle(epollHandle);
        closeHandle(driver);
        closeHandle(wakeupHandle);
        closeLoop();
        epoll.close(); // after uv_close took it out of libuv's epoll set
    }

    private void closeLoop() {
        polling = true;
        try {
            for (int i = 0; closing > 0 && i < CLOSE_PASSES; i++) {
                uv.uv_run(uvLoop, Libuv.UV_RUN_NOWAIT);
            }
        } finally {
            polling = false;
        }
        int rc = uv.uv_loop_close(uvLoop);
        if (rc == 0) {
            mem.free(uvLoop);
            upcalls.close();
            return;
        }
        // UV_EBUSY: a handle is still open. Freeing the loop under it could corrupt memory, and
        // libuv may still call back through it: leak both the memory and the callbacks.
        handleError("destroying the libuv loop", new LoopException("uv_loop_close", -rc, uv.uv_err_name(rc)
            + " (" + closing + " handles still closing; the loop's memory is leaked, not freed)"));
    }
}

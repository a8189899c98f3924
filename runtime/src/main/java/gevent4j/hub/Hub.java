package gevent4j.hub;

import gevent4j.internal.JdkInternals;
import gevent4j.loop.AnyThread;
import gevent4j.loop.Loop;
import gevent4j.loop.LoopOptions;
import gevent4j.loop.LoopProvider;
import gevent4j.loop.LoopThread;
import gevent4j.loop.RunMode;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The Hub: one platform thread, {@code gevent-hub}, that is the scheduler of every greenlet (a JDK
 * virtual thread built with this Hub as its {@link Executor}) and runs the event loop.
 *
 * <p>A greenlet that becomes runnable is queued as a loop callback; each loop iteration runs due
 * timers, polls for I/O (without blocking while greenlets are ready), then runs up to the loop's
 * callback budget of ready greenlets. Other threads hand work over through the loop's thread-safe
 * queue and async wakeup. Hub state is touched only on the Hub thread.
 */
public final class Hub implements Executor {

    /** {@code sun.nio.ch.Net.POLLIN} and {@code POLLOUT} on Linux, as handed to {@code Poller.poll}. */
    private static final int JDK_POLLIN = 0x1;
    private static final int JDK_POLLOUT = 0x4;

    private final Thread thread;
    private final String loopName;
    private Loop loop;
    private TimerResolutionWarnings timerResolution;
    private final ArrayDeque<IoWait> idleWaits = new ArrayDeque<>();
    private final DrainedReads drainedReads = new DrainedReads();
    private volatile boolean running = true;

    private Hub(LoopProvider provider, LoopOptions options) {
        CompletableFuture<Loop> created = new CompletableFuture<>();
        this.loopName = provider.name();
        this.thread = new Thread(null, () -> run(provider, options, created), "gevent-hub", 0, false);
        thread.setDaemon(true);
        thread.start();
        try {
            this.loop = created.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IllegalArgumentException invalidOption) {
                // A loop option this loop refuses (an unsupported libev_backend): a configuration error.
                throw new IllegalArgumentException(invalidOption.getMessage(), invalidOption);
            }
            throw new IllegalStateException("cannot start the " + provider.name() + " loop: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the Hub", e);
        }
    }

    /** Starts a Hub on its own thread with a loop from {@code provider}. */
    public static Hub start(LoopProvider provider, LoopOptions options) {
        return new Hub(provider, options);
    }

    private void run(LoopProvider provider, LoopOptions options, CompletableFuture<Loop> created) {
        Loop l;
        try {
            l = provider.create(options);
            l.setErrorHandler(Hub::handleError);
            timerResolution = new TimerResolutionWarnings(provider.name(), l.timerResolutionNanos());
        } catch (Throwable t) {
            created.completeExceptionally(t);
            return;
        }
        this.loop = l;
        created.complete(l);
        while (running) {
            try {
                l.run(RunMode.ONCE);
            } catch (Throwable t) {
                // Every greenlet depends on this thread: if it died, they would all hang forever.
                // Report and go on, even after an Error such as OutOfMemoryError; back off first
                // (Netty's rule) so that a failure that repeats cannot spin a CPU.
                handleError("Hub loop", t);
                LockSupport.parkNanos(t instanceof VirtualMachineError ? 10_000_000L : 1_000_000_000L);
            }
        }
        l.destroy();
    }

    /** Where failures of loop callbacks end up: "context failed with Type", never thrown. */
    static void handleError(String context, Throwable error) {
        Log.error(context + " failed with " + error.getClass().getName(), error);
    }

    public String loopName() {
        return loopName;
    }

    public Thread thread() {
        return thread;
    }

    @LoopThread
    Loop loop() {
        return loop;
    }

    /** A one-line description of the loop, safe from any thread. */
    public String describeLoop() {
        return loop.describe();
    }

    @AnyThread
    public boolean inHubThread() {
        return JdkInternals.currentCarrierThread() == thread;
    }

    /** True when {@code t} is a greenlet of this Hub. */
    @AnyThread
    public boolean isGreenlet(Thread t) {
        return JdkInternals.schedulerOf(t) == this;
    }

    /** Which sockets greenlets have read empty, to skip the next speculative read; Hub thread only. */
    @LoopThread
    DrainedReads drainedReads() {
        return drainedReads;
    }

    /** Schedules a greenlet's continuation (called by the JDK's VirtualThread). */
    @Override
    @AnyThread
    public void execute(Runnable continuation) {
        if (JdkInternals.currentCarrierThread() == thread) {
            loop.runCallback(continuation);
        } else {
            loop.runCallbackThreadsafe(continuation);
        }
    }

    /**
     * A greenlet of this Hub is about to park for {@code nanos}; called on the greenlet, whose
     * stack names the call site when the wait is shorter than the loop's timer resolution.
     */
    @AnyThread
    void beforeTimedPark(long nanos) {
        timerResolution.check(nanos);
    }

    /** A timed park or wait of a greenlet of this Hub; called on the Hub thread. */
    @LoopThread
    ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return new HubTimer(this, command, unit.toNanos(delay));
    }

    /**
     * Parks the calling greenlet until {@code fd} is ready for {@code jdkEvent}, {@code nanos}
     * pass (0: no limit), it is unparked, or the descriptor is closed. Spurious returns are
     * allowed, as for the JDK's Poller: callers retry their I/O.
     *
     * @return false when the loop cannot watch the descriptor and the JDK should wait itself
     */
    @LoopThread
    boolean poll(int fd, int jdkEvent, long nanos, BooleanSupplier isOpen) throws IOException {
        int events = jdkEvent == JDK_POLLOUT ? Loop.WRITE : Loop.READ;
        if (events == Loop.READ) {
            // Whatever this wait ends with (readiness, timeout, interrupt, close, or the JDK
            // waiting itself below), the read that follows it is a real one. Only the parked
            // reader, which holds the socket's read lock, could have set the flag meanwhile.
            drainedReads.clear(fd);
        }
        IoWait wait = idleWaits.pollFirst();
        if (wait == null) {
            wait = new IoWait(this);
        }
        wait.arm(Thread.currentThread(), fd, events);
        if (wait.watcher.start() != 0) {
            wait.disarm();
            idleWaits.addFirst(wait);
            return false;
        }
        java.util.function.Supplier<? extends IOException> failure;
        try {
            if (isOpen.getAsBoolean()) {
                if (nanos > 0) {
                    LockSupport.parkNanos(wait, nanos);
                } else {
                    LockSupport.park(wait);
                }
            }
        } finally {
            failure = wait.failure;
            wait.disarm();
            idleWaits.addFirst(wait);
        }
        if (failure != null) {
            throw failure.get();
        }
        return true;
    }

    /**
     * Ends the wait of {@code greenlet} for a descriptor, if it is in one, with {@code failure}
     * thrown from it (so from the socket operation that waits, leaving the socket open).
     *
     * @return false when the greenlet is not parked in {@link #poll}
     */
    @LoopThread
    boolean failIoWait(Thread greenlet, java.util.function.Supplier<? extends IOException> failure) {
        if (LockSupport.getBlocker(greenlet) instanceof IoWait wait && wait.isWaiter(greenlet)) {
            wait.failure = failure;
            LockSupport.unpark(greenlet);
            return true;
        }
        return false;
    }

    /**
     * Runs {@code action} on the Hub thread and waits for it: how other threads set up watchers
     * (the loop may only be touched from its own thread).
     */
    @AnyThread
    void onHubThread(Runnable action) {
        if (inHubThread()) {
            action.run();
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.runCallbackThreadsafe(() -> {
            try {
                action.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        try {
            done.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Hub task failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Hub", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the Hub did not run a task within 30 s: it is blocked", e);
        }
    }

    /**
     * A greenlet that cannot unmount parks: its carrier is this Hub's thread, so parking it would
     * stop the loop that is to wake it. Keep running the loop's timers and I/O (not other
     * greenlets, which cannot mount meanwhile) until the permit arrives or the time is up.
     *
     * @return what the JDK should still park for: 0 when done
     */
    @LoopThread
    long pinnedPark(Thread greenlet, boolean timed, long nanos) {
        long deadline = timed ? System.nanoTime() + nanos : 0;
        while (!JdkInternals.parkPermit(greenlet)) {
            long wait = PINNED_RECHECK_NANOS;
            if (timed) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return 0;
                }
                wait = Math.min(wait, remaining);
            }
            loop.runPinned(wait);
        }
        return 0;
    }

    /**
     * How often a pinned park re-checks its permit. Events of the loop and the threadpool's
     * results wake it at once ({@link #wakeup()}); an unpark from an unrelated platform thread
     * only sets the permit, and is seen within this bound.
     */
    private static final long PINNED_RECHECK_NANOS = 10_000_000L;

    private static final Runnable NOTHING = () -> { };

    /** Wakes the loop from any thread, so that a pinned park sees a permit set meanwhile. */
    @AnyThread
    void wakeup() {
        loop.runCallbackThreadsafe(NOTHING);
    }

    /** Wakes every greenlet waiting on {@code fd} and forgets its watchers; from any thread. */
    @AnyThread
    public void fdClosing(int fd) {
        if (inHubThread()) {
            drainedReads.clear(fd);
            loop.fdClosing(fd);
        } else {
            // Until the callback runs, a reused number may keep a stale flag: its first read
            // then waits one loop iteration, which reports the data already there.
            loop.fdClosedElsewhere(fd);
            loop.runCallbackThreadsafe(() -> {
                drainedReads.clear(fd);
                loop.fdClosing(fd);
            });
        }
    }

    /** A one-line summary of the loop's state, for diagnostics; from any thread. */
    public String debug() {
        return "hub[" + loopName + "] " + (running ? "running" : "stopped");
    }
}

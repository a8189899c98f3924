package gevent4j.loops.jdk;

import gevent4j.loop.AbstractLoop;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The embedded loop: epoll and an eventfd through the JDK's own natives, timers in a Java heap.
 * Needs no native library beyond the JDK.
 *
 * <p>Registration is deferred as in libuv's {@code uv__io_start}: starting a watcher on a descriptor
 * that is already registered with a sufficient mask costs no system call, and mask changes are
 * applied in one pass just before {@code epoll_wait}. A greenlet that reads, finds nothing and waits
 * again within one iteration therefore re-uses its registration.
 *
 * <p>Note on descriptor reuse: the kernel drops an epoll registration when the last reference to
 * the open file goes away, and a new socket may get the same number. Closes on the loop thread go
 * through {@link #fdClosing(int)} and reset the state at once; closes on other threads bump
 * {@link #closeEpoch}, after which every cached registration is re-confirmed with the kernel before
 * it is trusted.
 */
final class JdkLoop extends AbstractLoop {

    private static final int INITIAL_EVENTS = 256;
    private static final int MAX_EVENTS = 64 * 1024;

    private final int epfd;
    private final Object eventFd;
    private final int eventFdDescriptor;
    private long pollArray;
    private int pollArraySize;

    private FdState[] fds = new FdState[1024];
    private int[] dirty = new int[64];
    private int dirtyCount;

    private final JavaTimers timers = new JavaTimers(this);
    private final JavaTimers.FailureHandler timerFailed = (timer, error) -> handleError(timer.toString(), error);
    final List<JdkAsyncWatcher> asyncs = new ArrayList<>();
    /** Where io watchers are recorded: the descriptor table below, registered lazily with epoll. */
    private final MultiplexedIoWatcher.Registry ioRegistry = new MultiplexedIoWatcher.Registry() {
        @Override
        public int add(MultiplexedIoWatcher w) {
            return addIoWatcher(w);
        }

        @Override
        public void remove(MultiplexedIoWatcher w) {
            removeIoWatcher(w);
        }
    };
    private final JavaHooks prepares = new JavaHooks(this, "prepare");
    private final JavaHooks checks = new JavaHooks(this, "check");
    private final JavaHooks.FailureHandler hookFailed = (hook, error) -> handleError("hook", error);

    private long now = System.nanoTime();
    private long iteration;
    private boolean destroyed;

    /** False only while the loop may block in epoll_wait: other threads then write the eventfd. */
    private final AtomicBoolean awake = new AtomicBoolean(true);
    private volatile boolean asyncPending;
    private final AtomicInteger closeEpoch = new AtomicInteger();

    JdkLoop() {
        boolean ok = false;
        int ep = -1;
        Object efd = null;
        try {
            ep = EpollNatives.create();
            efd = EpollNatives.newEventFd();
            int efdDescriptor = EpollNatives.eventFdDescriptor(efd);
            int err = EpollNatives.ctl(ep, EpollNatives.EPOLL_CTL_ADD, efdDescriptor, EpollNatives.EPOLLIN);
            if (err != 0) {
                throw new LoopException("epoll_ctl(ADD, eventfd)", err, EpollNatives.errnoName(err));
            }
            this.epfd = ep;
            this.eventFd = efd;
            this.eventFdDescriptor = efdDescriptor;
            this.pollArraySize = INITIAL_EVENTS;
            this.pollArray = EpollNatives.allocate(pollArraySize);
            ok = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the jdk loop", e);
        } finally {
            if (!ok) {
                closeQuietly(ep, efd);
            }
        }
        initThreadsafeCallbacks();
    }

    @Override
    public String name() {
        return "jdk";
    }

    @Override
    public String describe() {
        return "jdk (epoll through the JDK's libnio, Java timer heap, JDK " + Runtime.version() + ")";
    }

    @Override
    public long now() {
        return now;
    }

    @Override
    public void updateNow() {
        now = System.nanoTime();
    }

    @Override
    public IoWatcher io(int fd, int events, IoCallback callback) {
        checkNotDestroyed();
        return new MultiplexedIoWatcher(this, ioRegistry, -1, fd, events, callback);
    }

    @Override
    public TimerWatcher timer(TimerCallback callback) {
        checkNotDestroyed();
        return timers.newWatcher(callback);
    }

    @Override
    public AsyncWatcher async(Runnable callback) {
        checkNotDestroyed();
        return new JdkAsyncWatcher(this, callback);
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

    // ---- io registration ----------------------------------------------------------------------

    static int toEpoll(int events) {
        int mask = 0;
        if ((events & READ) != 0) {
            mask |= EpollNatives.EPOLLIN | EpollNatives.EPOLLRDHUP;
        }
        if ((events & WRITE) != 0) {
            mask |= EpollNatives.EPOLLOUT;
        }
        return mask;
    }

    private FdState state(int fd) {
        if (fd >= fds.length) {
            fds = Arrays.copyOf(fds, Math.max(fd + 1, fds.length * 2));
        }
        FdState s = fds[fd];
        if (s == null) {
            s = fds[fd] = new FdState(fd);
        }
        return s;
    }

    /** Returns 0, or a negative errno when the kernel refuses the descriptor. */
    private int addIoWatcher(MultiplexedIoWatcher w) {
        FdState s = state(w.fd());
        s.add(w);
        int wanted = s.wantedMask();
        boolean trusted = s.kernelMask != 0 && s.epoch == closeEpoch.get();
        if (trusted && (s.kernelMask & wanted) == wanted) {
            if (s.kernelMask != wanted) {
                markDirty(s); // the mask shrinks at the next flush
            }
            return 0;
        }
        // Register now rather than at the flush so that the caller learns of EPERM (regular files).
        int err = register(s, wanted);
        if (err != 0) {
            s.remove(w);
            return -err;
        }
        return 0;
    }

    private void removeIoWatcher(MultiplexedIoWatcher w) {
        FdState s = fds[w.fd()];
        if (s == null) {
            return;
        }
        s.remove(w);
        markDirty(s);
    }

    private int register(FdState s, int mask) {
        int op = s.kernelMask == 0 ? EpollNatives.EPOLL_CTL_ADD : EpollNatives.EPOLL_CTL_MOD;
        int err = EpollNatives.ctl(epfd, op, s.fd, mask);
        if (err == EpollNatives.EEXIST) {
            err = EpollNatives.ctl(epfd, EpollNatives.EPOLL_CTL_MOD, s.fd, mask);
        } else if (err == EpollNatives.ENOENT) {
            err = EpollNatives.ctl(epfd, EpollNatives.EPOLL_CTL_ADD, s.fd, mask);
        }
        if (err == 0) {
            s.kernelMask = mask;
            s.epoch = closeEpoch.get();
        }
        return err;
    }

    private void markDirty(FdState s) {
        if (!s.dirty) {
            s.dirty = true;
            if (dirtyCount == dirty.length) {
                dirty = Arrays.copyOf(dirty, dirtyCount * 2);
            }
            dirty[dirtyCount++] = s.fd;
        }
    }

    /** Applies deferred mask changes; after it, every registration matches its watchers exactly. */
    private void flushChanges() {
        for (int i = 0; i < dirtyCount; i++) {
            FdState s = fds[dirty[i]];
            s.dirty = false;
            int wanted = s.wantedMask();
            if (wanted == s.kernelMask) {
                continue;
            }
            if (wanted == 0) {
                // ENOENT/EBADF: the descriptor was closed behind our back, which already unregistered it.
                EpollNatives.ctl(epfd, EpollNatives.EPOLL_CTL_DEL, s.fd, 0);
                s.kernelMask = 0;
            } else if (register(s, wanted) != 0) {
                failWatchers(s);
            }
        }
        dirtyCount = 0;
    }

    /** A descriptor the kernel no longer accepts: its watchers are told, as for a close. */
    private void failWatchers(FdState s) {
        s.kernelMask = 0;
        notifyClosing(s);
    }

    @Override
    public void fdClosing(int fd) {
        if (fd < 0 || fd >= fds.length || fds[fd] == null) {
            return;
        }
        FdState s = fds[fd];
        if (s.kernelMask != 0) {
            EpollNatives.ctl(epfd, EpollNatives.EPOLL_CTL_DEL, fd, 0);
            s.kernelMask = 0;
        }
        notifyClosing(s);
    }

    private void notifyClosing(FdState s) {
        while (s.count > 0) {
            MultiplexedIoWatcher w = s.watchers[s.count - 1];
            s.watchers[--s.count] = null;
            w.detach();
            try {
                w.invoke(READ | WRITE | CLOSED);
            } catch (Throwable t) {
                handleError(w.toString(), t);
            }
        }
    }

    @Override
    public void fdClosedElsewhere(int fd) {
        closeEpoch.incrementAndGet();
    }

    // ---- timers -------------------------------------------------------------------------------

    /** Fires due timers (see {@link JavaTimers#runDue}). */
    private boolean runTimers() {
        return timers.runDue(now, timerFailed);
    }

    // ---- wakeups ------------------------------------------------------------------------------

    /** From {@link JdkAsyncWatcher#send()}, on any thread. */
    void wakeupForAsync() {
        asyncPending = true;
        if (!awake.getAndSet(true)) {
            try {
                EpollNatives.eventFdSet(eventFd);
            } catch (IOException e) {
                // The eventfd counter cannot overflow with one write per sleep; nothing to recover.
                handleError("eventfd write", e);
            }
        }
    }

    private void runAsyncs() {
        if (!asyncPending) {
            return;
        }
        asyncPending = false;
        for (int i = 0; i < asyncs.size(); i++) {
            JdkAsyncWatcher a = asyncs.get(i);
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
        if (destroyed) {
            throw new IllegalStateException("loop destroyed");
        }
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
        updateNow();
        // Fix (conformance suite): a timer that fired before the poll is this iteration's progress, so
        // the poll must not block on top of it; run(ONCE) used to run a due timer and then sleep
        // until the next event (libev and libuv return: their timers run after the poll).
        boolean timersFired = runTimers();
        prepares.run(hookFailed);
        flushChanges();
        poll(timersFired ? RunMode.NOWAIT : mode);
        updateNow();
        runTimers();
        checks.run(hookFailed);
        runCallbacks();
    }

    @Override
    public void runPinned(long maxWaitNanos) {
        if (destroyed) {
            throw new IllegalStateException("loop destroyed");
        }
        iteration++;
        updateNow();
        runTimers();
        flushChanges();
        int limit = maxWaitNanos < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, (maxWaitNanos + 999_999L) / 1_000_000L);
        awake.set(false);
        int timeout = asyncPending ? 0 : timeoutMillis();
        if (limit >= 0 && (timeout < 0 || limit < timeout)) {
            timeout = limit;
        }
        pollFor(timeout);
        updateNow();
        runTimers();
    }

    private void poll(RunMode mode) {
        int timeout = 0;
        // Fix (conformance suite): DEFAULT returns as soon as no referenced watcher is active, so it
        // must not sleep for unreferenced ones alone (libev's !activecnt, libuv's uv__backend_timeout);
        // it used to block until an unreferenced timer fired. ONCE still blocks: the Hub sleeps in it
        // with nothing but its unreferenced thread-safe async watcher.
        boolean mayBlock = mode == RunMode.ONCE || (mode == RunMode.DEFAULT && activeReferences() > 0);
        if (mayBlock && !hasCallbacks()) {
            awake.set(false);
            // Re-check after publishing that we may sleep: a send() racing with us either sees
            // awake == false and writes the eventfd, or set asyncPending before we read it here.
            timeout = asyncPending ? 0 : timeoutMillis();
        }
        pollFor(timeout);
    }

    private void pollFor(int timeout) {
        int n;
        try {
            n = EpollNatives.wait(epfd, pollArray, pollArraySize, timeout);
        } catch (IOException e) {
            awake.set(true);
            handleError("epoll_wait", e);
            return;
        }
        awake.lazySet(true);
        for (int i = 0; i < n; i++) {
            int fd = EpollNatives.descriptor(pollArray, i);
            if (fd == eventFdDescriptor) {
                try {
                    EpollNatives.eventFdReset(eventFd);
                } catch (IOException e) {
                    handleError("eventfd read", e);
                }
                continue;
            }
            dispatch(fd, EpollNatives.events(pollArray, i));
        }
        runAsyncs();
        if (n == pollArraySize && pollArraySize < MAX_EVENTS) {
            growPollArray();
        }
    }

    private void growPollArray() {
        EpollNatives.free(pollArray);
        pollArraySize *= 2;
        pollArray = EpollNatives.allocate(pollArraySize);
    }

    /** Rounded up: epoll_wait takes milliseconds, and waking early would only spin once more. */
    private int timeoutMillis() {
        return timers.timeoutMillis(now);
    }

    private void dispatch(int fd, int epollEvents) {
        FdState s = fd < fds.length ? fds[fd] : null;
        if (s == null || s.count == 0) {
            if (s != null) {
                markDirty(s); // a stale registration: drop it at the next flush
            }
            return;
        }
        int revents = 0;
        if ((epollEvents & (EpollNatives.EPOLLIN | EpollNatives.EPOLLRDHUP | EpollNatives.EPOLLPRI
                | EpollNatives.EPOLLHUP | EpollNatives.EPOLLERR)) != 0) {
            revents |= READ;
        }
        if ((epollEvents & (EpollNatives.EPOLLOUT | EpollNatives.EPOLLHUP | EpollNatives.EPOLLERR)) != 0) {
            revents |= WRITE;
        }
        // Walk down from the end: a callback that stops its own watcher swaps an already visited
        // one into its slot; watchers started by callbacks land beyond the start and wait.
        for (int i = s.count - 1; i >= 0; i--) {
            if (i >= s.count) {
                continue;
            }
            MultiplexedIoWatcher w = s.watchers[i];
            int matched = revents & w.events();
            if (matched == 0 || w.dispatchedIn == iteration) {
                continue;
            }
            w.dispatchedIn = iteration;
            try {
                w.invoke(matched);
            } catch (Throwable t) {
                handleError(w.toString(), t);
            }
        }
    }


    @Override
    public String debug() {
        int watched = 0;
        for (FdState s : fds) {
            if (s != null && s.count > 0) {
                watched++;
            }
        }
        return super.debug() + "; " + watched + " descriptors watched, " + timers.size() + " timers, "
            + activeReferences() + " active references, iteration " + iteration;
    }

    @Override
    public void destroy() {
        if (destroyed) {
            return;
        }
        destroyThreadsafeCallbacks();
        destroyed = true;
        stopAllWatchers();
        EpollNatives.free(pollArray);
        pollArray = 0;
        closeQuietly(epfd, eventFd);
    }

    /**
     * Fix (conformance suite): destroy() stops every watcher, as {@link gevent4j.loop.Loop#destroy()}
     * says; they used to stay active (and counted) on a loop that no longer exists. No CLOSED call.
     */
    private void stopAllWatchers() {
        for (FdState s : fds) {
            if (s != null) {
                while (s.count > 0) {
                    MultiplexedIoWatcher w = s.watchers[--s.count];
                    s.watchers[s.count] = null;
                    w.detach();
                }
                s.kernelMask = 0;
            }
        }
        timers.stopAll();
        while (!asyncs.isEmpty()) {
            asyncs.get(asyncs.size() - 1).stop();
        }
        prepares.stopAll();
        checks.stopAll();
    }

    /** Throws IllegalStateException once the loop is destroyed; any thread. */
    void checkUsable() {
        checkNotDestroyed();
    }

    private static void closeQuietly(int epfd, Object eventFd) {
        try {
            if (eventFd != null) {
                EpollNatives.eventFdClose(eventFd);
            }
        } catch (IOException ignored) {
            // Closing on a failure path or at shutdown: nothing left to report to.
        }
        try {
            if (epfd >= 0) {
                EpollNatives.close(epfd);
            }
        } catch (IOException ignored) {
            // as above
        }
    }
}

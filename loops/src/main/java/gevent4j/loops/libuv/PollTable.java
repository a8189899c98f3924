package gevent4j.loops.libuv;

import gevent4j.loop.AnyThread;
import gevent4j.loop.Loop;
import gevent4j.loops.common.MultiplexedIoWatcher;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The loop's io watchers: any number per descriptor, sharing one registration (the union of their
 * masks) in the loop's nested epoll set ({@link EpollSet}), which libuv watches through one
 * {@code uv_poll_t}.
 *
 * <p>Note on libuv's {@code abort()}s (libuv 1.44, src/unix/epoll.c and poll.c). libuv registers a
 * poll handle's descriptor itself, inside {@code uv_run}, some time after {@code uv_poll_start}
 * queued it, and aborts the process when the kernel refuses: the descriptor was closed meanwhile
 * ({@code EBADF}), its number now names a regular file ({@code EPERM}), the watch limit is reached
 * ({@code ENOSPC}). Any other thread can close a descriptor at any time, and checking first cannot
 * close the window between the check and libuv's call: with a thread closing descriptors while they
 * were being armed, plain {@code uv_poll_init}/{@code uv_poll_start} aborted within seconds. So
 * libuv is never given an application descriptor: it polls only the nested epoll descriptor, which
 * nobody else closes, and the application's descriptors are registered here with {@code epoll_ctl}.
 * A refusal is an errno here, never an abort, and start() returns it ({@code -EPERM} for a regular
 * file) as on the jdk loop; a descriptor closed while registered leaves the nested set by itself.
 *
 * <p>Registration follows the jdk loop: it grows at once and shrinks before the next poll
 * ({@link #flush()}); {@link #fdClosing(int)} unregisters while the descriptor is still open, and
 * after {@link #closedElsewhere(int)} nothing cached about the number is trusted, so a reused
 * number gets a fresh registration. An open file that outlives its closed number (a {@code dup}, a
 * child process) keeps its registration and its events: the epoll limitation every loop has.
 *
 * <p>Events are collected by {@link #drain()}, one non-blocking {@code epoll_wait} per poll, and
 * never a second one in the same poll: the registrations are level-triggered and a woken greenlet
 * reads only after the poll, so a second {@code epoll_wait} would report the descriptors of the
 * first batch again (the kernel re-queues them behind the unreported ones), the repeats libuv's own
 * re-polling once made on a busy server. A full batch grows the buffer instead, and what did not fit
 * keeps the nested descriptor readable for the next poll.
 *
 * <p>Besides the application's descriptors, the loop may register descriptors of its own
 * ({@link #addInternal}), each with a callback rather than io watchers; their epoll data carries the
 * {@link #INTERNAL} tag, so their numbers never meet the application's table.
 */
final class PollTable implements MultiplexedIoWatcher.Registry {

    /** The epoll data's tag word: an application descriptor (the key is its number). */
    static final int APPLICATION = 0;
    /** The epoll data's tag word: a descriptor of the loop's own (the key is its internal slot). */
    static final int INTERNAL = 1;

    private static final int EPOLLIN = Libc.EPOLLIN;
    private static final int EPOLLOUT = Libc.EPOLLOUT;
    private static final int READABLE = Libc.EPOLLIN | Libc.EPOLLRDHUP | Libc.EPOLLPRI | Libc.EPOLLHUP | Libc.EPOLLERR;
    private static final int WRITABLE = Libc.EPOLLOUT | Libc.EPOLLHUP | Libc.EPOLLERR;

    /** A descriptor of the loop's own in the nested set, told of its epoll events on the owner thread. */
    @FunctionalInterface
    interface InternalCallback {
        void onReady(int epollEvents);
    }

    private final LibuvLoop loop;
    private final EpollSet epoll;

    private PolledFd[] fds = new PolledFd[1024];
    private int[] dirty = new int[64];
    private int dirtyCount;
    private int[] internalFds = new int[2];
    private InternalCallback[] internalCallbacks = new InternalCallback[2];
    private int internalCount;
    /** Set by {@link #closeAll()}: a drain under way stops dispatching. */
    private boolean closed;
    private final ConcurrentLinkedQueue<Integer> closedElsewhere = new ConcurrentLinkedQueue<>();

    PollTable(LibuvLoop loop, EpollSet epoll) {
        this.loop = loop;
        this.epoll = epoll;
    }

    /** The epoll mask for {@code Loop.READ}/{@code WRITE} events: the jdk loop's. */
    static int toEpoll(int events) {
        int mask = 0;
        if ((events & Loop.READ) != 0) {
            mask |= Libc.EPOLLIN | Libc.EPOLLRDHUP;
        }
        if ((events & Loop.WRITE) != 0) {
            mask |= Libc.EPOLLOUT;
        }
        return mask;
    }

    private PolledFd state(int fd) {
        if (fd >= fds.length) {
            fds = Arrays.copyOf(fds, Math.max(fd + 1, fds.length * 2));
        }
        PolledFd s = fds[fd];
        if (s == null) {
            s = fds[fd] = new PolledFd(fd);
        }
        return s;
    }

    private void markDirty(PolledFd s) {
        if (!s.dirty) {
            s.dirty = true;
            if (dirtyCount == dirty.length) {
                dirty = Arrays.copyOf(dirty, dirtyCount * 2);
            }
            dirty[dirtyCount++] = s.fd;
        }
    }

    // ---- watchers -----------------------------------------------------------------------------

    /** Returns 0, or a negative errno when the kernel refuses the descriptor. */
    @Override
    public int add(MultiplexedIoWatcher w) {
        drainClosedElsewhere();
        PolledFd s = state(w.fd());
        s.add(w);
        int wanted = s.wantedMask();
        if (s.registered >= 0 && (s.registered & wanted) == wanted) {
            if (s.registered != wanted) {
                markDirty(s); // shrinks at the flush
            }
            return 0;
        }
        // Register now rather than at the flush so that the caller learns of EPERM (regular files).
        int err = ctl(s, wanted);
        if (err != 0) {
            s.remove(w);
            markDirty(s); // the flush unregisters what is left over, or tells the other watchers
        }
        return err;
    }

    @Override
    public void remove(MultiplexedIoWatcher w) {
        PolledFd s = w.fd() < fds.length ? fds[w.fd()] : null;
        if (s != null) {
            s.remove(w);
            markDirty(s);
        }
    }

    /** Applies deferred changes; the loop runs it immediately before each poll. */
    void flush() {
        drainClosedElsewhere();
        for (int i = 0; i < dirtyCount; i++) {
            PolledFd s = fds[dirty[i]];
            s.dirty = false;
            int wanted = s.wantedMask();
            if (wanted == s.registered) {
                continue;
            }
            if (ctl(s, wanted) != 0) {
                // The descriptor is gone (EBADF) or is no longer one epoll takes: tell the watchers.
                s.registered = 0;
                notifyClosing(s);
            }
        }
        dirtyCount = 0;
    }

    /**
     * Sets the registration of {@code s} to {@code mask} (0: none). Returns 0 or -errno. A number
     * whose registration is doubted ({@code registered < 0}) may still be registered: ADD then finds
     * it (EEXIST) and MOD is made; a MOD that finds none (closed and reused) is made an ADD.
     */
    private int ctl(PolledFd s, int mask) {
        if (mask == 0) {
            if (s.registered != 0) {
                // ENOENT or EBADF: the registration or the descriptor is gone already, which is the goal.
                epoll.ctl(Libc.EPOLL_CTL_DEL, s.fd, 0, 0, 0);
                s.registered = 0;
            }
            return 0;
        }
        int op = s.registered > 0 ? Libc.EPOLL_CTL_MOD : Libc.EPOLL_CTL_ADD;
        int err = epoll.ctl(op, s.fd, mask, s.fd, APPLICATION);
        if (err == Libc.EEXIST && internalSlot(s.fd) < 0) {
            err = epoll.ctl(Libc.EPOLL_CTL_MOD, s.fd, mask, s.fd, APPLICATION);
        } else if (err == Libc.ENOENT && op == Libc.EPOLL_CTL_MOD) {
            err = epoll.ctl(Libc.EPOLL_CTL_ADD, s.fd, mask, s.fd, APPLICATION);
        }
        if (err != 0) {
            s.registered = -1;
            return -err;
        }
        s.registered = mask;
        return 0;
    }

    // ---- the loop's own descriptors -----------------------------------------------------------

    /**
     * Registers a descriptor of the loop's own (never one the application can close) for
     * {@code epollEvents}, level-triggered unless {@code EPOLLET} is among them; {@code callback}
     * runs on the owner thread from {@link #drain()}. Returns 0 or -errno.
     */
    int addInternal(int fd, int epollEvents, InternalCallback callback) {
        if (internalSlot(fd) >= 0) {
            return -Libc.EEXIST;
        }
        int slot = 0;
        while (slot < internalCount && internalCallbacks[slot] != null) {
            slot++;
        }
        int err = epoll.ctl(Libc.EPOLL_CTL_ADD, fd, epollEvents, slot, INTERNAL);
        if (err != 0) {
            return -err;
        }
        if (slot == internalFds.length) {
            internalFds = Arrays.copyOf(internalFds, slot * 2);
            internalCallbacks = Arrays.copyOf(internalCallbacks, slot * 2);
        }
        internalFds[slot] = fd;
        internalCallbacks[slot] = callback;
        internalCount = Math.max(internalCount, slot + 1);
        return 0;
    }

    /** Unregisters a descriptor of {@link #addInternal}, before its owner closes it. */
    void removeInternal(int fd) {
        int slot = internalSlot(fd);
        if (slot >= 0) {
            epoll.ctl(Libc.EPOLL_CTL_DEL, fd, 0, 0, 0);
            internalCallbacks[slot] = null;
            internalFds[slot] = -1;
        }
    }

    private int internalSlot(int fd) {
        for (int i = 0; i < internalCount; i++) {
            if (internalCallbacks[i] != null && internalFds[i] == fd) {
                return i;
            }
        }
        return -1;
    }

    // ---- events and closes --------------------------------------------------------------------

    /**
     * Collects what the nested set has ready, without blocking, and dispatches it: from the
     * {@code uv_poll_t}'s callback when libuv saw the set readable, or directly when the loop polls
     * without blocking or looks before it blocks. One {@code epoll_wait} (see the class comment).
     * Returns how many events of application descriptors it collected (the loop's own, the timerfd,
     * are not io the next poll should look for first).
     */
    int drain() {
        int n = epoll.poll();
        long iteration = loop.iteration;
        int application = 0;
        for (int i = 0; i < n && !closed; i++) {
            int key = epoll.key(i);
            if (epoll.tag(i) == APPLICATION) {
                application++;
                dispatch(key, epoll.events(i), iteration);
            } else {
                dispatchInternal(key, epoll.events(i));
            }
        }
        if (!closed) {
            epoll.growIfFull(n);
        }
        return application;
    }

    /** Fans one descriptor's events out to the watchers whose mask matches. */
    private void dispatch(int fd, int epollEvents, long iteration) {
        PolledFd s = fd >= 0 && fd < fds.length ? fds[fd] : null;
        if (s == null || s.count == 0) {
            if (s != null) {
                markDirty(s); // its watchers stopped since the last flush: unregistered at the next
            }
            return;
        }
        int revents = ((epollEvents & READABLE) != 0 ? Loop.READ : 0) | ((epollEvents & WRITABLE) != 0 ? Loop.WRITE : 0);
        // Walk down from the end: a callback that stops its own watcher swaps an already visited one
        // into its slot; watchers started by callbacks land beyond the start and wait.
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
                loop.reportError(w.toString(), t);
            }
        }
    }

    private void dispatchInternal(int slot, int epollEvents) {
        InternalCallback callback = slot >= 0 && slot < internalCount ? internalCallbacks[slot] : null;
        if (callback != null) {
            try {
                callback.onReady(epollEvents);
            } catch (Throwable t) {
                loop.reportError("internal descriptor " + internalFds[slot], t);
            }
        }
    }

    /** The descriptor is about to be closed: unregister it while it is open, then tell the watchers. */
    void fdClosing(int fd) {
        PolledFd s = fd >= 0 && fd < fds.length ? fds[fd] : null;
        if (s != null) {
            ctl(s, 0);
            notifyClosing(s);
        }
    }

    /** Every watcher of the descriptor is stopped and called once with CLOSED. */
    private void notifyClosing(PolledFd s) {
        while (s.count > 0) {
            MultiplexedIoWatcher w = s.watchers[s.count - 1];
            s.watchers[--s.count] = null;
            w.detach();
            try {
                w.invoke(Loop.READ | Loop.WRITE | Loop.CLOSED);
            } catch (Throwable t) {
                loop.reportError(w.toString(), t);
            }
        }
    }

    /** Another thread closed {@code fd}: what is cached about the number is doubted from now on. */
    @AnyThread
    void closedElsewhere(int fd) {
        closedElsewhere.offer(fd);
    }

    private void drainClosedElsewhere() {
        if (closedElsewhere.isEmpty()) {
            return;
        }
        Integer next;
        while ((next = closedElsewhere.poll()) != null) {
            int fd = next;
            PolledFd s = fd >= 0 && fd < fds.length ? fds[fd] : null;
            if (s != null && s.registered != 0) {
                s.registered = -1; // re-registered (or found gone) by the next flush
                markDirty(s);
            }
        }
    }

    /** destroy(): watchers stopped without a call (as on the jdk loop); the set goes with the loop. */
    void closeAll() {
        closed = true;
        for (PolledFd s : fds) {
            if (s != null) {
                while (s.count > 0) {
                    MultiplexedIoWatcher w = s.watchers[--s.count];
                    s.watchers[s.count] = null;
                    w.detach();
                }
                s.dirty = false;
                s.registered = 0;
            }
        }
        dirtyCount = 0;
        Arrays.fill(internalCallbacks, null);
        internalCount = 0;
        closedElsewhere.clear();
    }

    /** For debug(): the descriptors with watchers or a registration, at most {@code limit} listed. */
    String describe(int limit) {
        StringBuilder sb = new StringBuilder();
        int watched = 0;
        int listed = 0;
        for (PolledFd s : fds) {
            if (s == null || (s.count == 0 && s.registered == 0)) {
                continue;
            }
            watched += s.count > 0 ? 1 : 0;
            if (listed++ < limit) {
                sb.append("\n  fd ").append(s.fd).append(": registered ")
                    .append(s.registered < 0 ? "?" : maskName(s.registered))
                    .append(", ").append(s.count).append(" watcher(s)");
                for (int i = 0; i < s.count; i++) {
                    sb.append(i == 0 ? " " : ", ").append(maskName(toEpoll(s.watchers[i].events())));
                }
                if (s.dirty) {
                    sb.append(", change pending");
                }
            }
        }
        if (listed > limit) {
            sb.append("\n  ... ").append(listed - limit).append(" more");
        }
        int internal = 0;
        for (int i = 0; i < internalCount; i++) {
            internal += internalCallbacks[i] != null ? 1 : 0;
        }
        return watched + " descriptors watched, nested epoll fd " + epoll.fd() + " (" + internal + " internal, batch of "
            + epoll.capacity() + "), " + epoll.ctlCalls() + " epoll_ctl, " + epoll.waitCalls() + " epoll_wait" + sb;
    }

    private static String maskName(int epollMask) {
        if (epollMask == 0) {
            return "-";
        }
        return ((epollMask & EPOLLIN) != 0 ? "r" : "") + ((epollMask & EPOLLOUT) != 0 ? "w" : "");
    }
}

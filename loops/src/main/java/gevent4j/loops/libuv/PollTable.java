package gevent4j.loops.libuv;

import com.kenai.jffi.MemoryIO;
import gevent4j.loop.AnyThread;
import gevent4j.loop.Loop;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The loop's io watchers, multiplexed over one {@code uv_poll_t} per descriptor ({@link LibuvPoll}).
 *
 * <p>Note on libuv's {@code abort()}s (libuv 1.44, src/unix/epoll.c and poll.c). {@code uv_poll_start}
 * only queues the descriptor; the {@code epoll_ctl(ADD)} happens inside the next {@code uv_run}, and
 * if the kernel refuses it (the descriptor was closed: {@code EBADF}; its number now belongs to a
 * regular file: {@code EPERM}; {@code ENOSPC}) libuv aborts the process. This table therefore:
 * <ul>
 * <li>calls {@code uv_poll_start} only in {@link #flush()}, which the loop runs immediately before
 *     {@code uv_run}, and only when a descriptor's mask really changes (each start costs libuv an
 *     {@code EPOLL_CTL_DEL} now and an {@code ADD} later, so stopping and restarting a watcher within
 *     one iteration costs nothing);</li>
 * <li>after each {@code uv_poll_start}, makes the same {@code EPOLL_CTL_ADD} itself on libuv's epoll
 *     descriptor ({@link #confirm}). When the kernel accepts it, libuv's own {@code ADD} gets
 *     {@code EEXIST}, which it handles with a {@code MOD}; when it refuses, the handle is closed before
 *     libuv sees it, and the descriptor's watchers are told as for a close;</li>
 * <li>closes the handle in {@link #fdClosing(int)}, while the descriptor is still open, so that its
 *     number can be reused: a later start makes a new handle with {@code uv_poll_init}, which checks
 *     the new descriptor (and returns {@code UV_EPERM} for a regular file);</li>
 * <li>for descriptors closed by another thread ({@link #closedElsewhere(int)}), closes the stale
 *     handle on the loop thread before the number is trusted again. The kernel has already dropped
 *     the registration if that was the last reference to the open file; if another reference keeps it
 *     open (a {@code dup}, a child process), its events still name this number, which is the epoll
 *     limitation every loop has.</li>
 * </ul>
 * What remains is a race no loop can close: another thread closing a descriptor between the check and
 * libuv's {@code ADD} in the same iteration (microseconds), or inside {@code uv_poll_init}'s own check.
 *
 * <p>{@code uv_poll_init} also switches the descriptor to {@code O_NONBLOCK}; {@link #open} restores
 * the previous flags, because the descriptor belongs to the application (a blocking pipe or tty must
 * stay blocking for the JDK's own reads and for the other processes that share it).
 */
final class PollTable {

    private final LibuvLoop loop;
    private final Libuv uv;
    private final Libc libc;
    private final jnr.ffi.Runtime libcRuntime;
    private final MemoryIO io = MemoryIO.getInstance();
    private final int backendFd;
    /** A {@code struct epoll_event} for {@link #confirm}: packed (12 bytes, data at 4) on x86_64 only. */
    private long epollEvent;
    private final int epollDataOffset;

    private LibuvPoll[] fds = new LibuvPoll[1024];
    private int[] dirty = new int[64];
    private int dirtyCount;
    /** Open poll handles. */
    private int handles;
    /** Registrations the kernel refused in {@link #confirm}, which libuv would have aborted on. */
    private long refused;
    private final ConcurrentLinkedQueue<Integer> closedElsewhere = new ConcurrentLinkedQueue<>();

    PollTable(LibuvLoop loop, Libc libc, int backendFd) {
        this.loop = loop;
        this.uv = loop.uv;
        this.libc = libc;
        this.libcRuntime = jnr.ffi.Runtime.getRuntime(libc);
        this.backendFd = backendFd;
        String arch = System.getProperty("os.arch", "");
        this.epollDataOffset = arch.equals("amd64") || arch.equals("x86_64") ? 4 : 8;
        this.epollEvent = io.allocateMemory(16, true);
        if (epollEvent == 0) {
            throw new OutOfMemoryError("malloc(16) failed");
        }
    }

    static int toUv(int events) {
        int mask = 0;
        if ((events & Loop.READ) != 0) {
            mask |= Libuv.UV_READABLE | Libuv.UV_DISCONNECT;
        }
        if ((events & Loop.WRITE) != 0) {
            mask |= Libuv.UV_WRITABLE;
        }
        return mask;
    }

    private LibuvPoll state(int fd) {
        if (fd >= fds.length) {
            fds = Arrays.copyOf(fds, Math.max(fd + 1, fds.length * 2));
        }
        LibuvPoll s = fds[fd];
        if (s == null) {
            s = fds[fd] = new LibuvPoll(fd);
        }
        return s;
    }

    /** Returns 0, or a negative errno when the descriptor cannot be polled (uv_poll_init refused it). */
    int add(LibuvIoWatcher w) {
        drainClosedElsewhere();
        LibuvPoll s = state(w.fd());
        if (s.handle == 0) {
            int err = open(s);
            if (err != 0) {
                return err;
            }
        }
        s.add(w);
        if (s.wanted() != s.started) {
            markDirty(s);
        }
        return 0;
    }

    void remove(LibuvIoWatcher w) {
        LibuvPoll s = w.fd() < fds.length ? fds[w.fd()] : null;
        if (s != null) {
            s.remove(w);
            markDirty(s);
        }
    }

    private void markDirty(LibuvPoll s) {
        if (!s.dirty) {
            s.dirty = true;
            if (dirtyCount == dirty.length) {
                dirty = Arrays.copyOf(dirty, dirtyCount * 2);
            }
            dirty[dirtyCount++] = s.fd;
        }
    }

    /** Creates the descriptor's poll handle. Returns 0 or a negative errno ({@code UV_E*}). */
    private int open(LibuvPoll s) {
        int flags = libc.fcntl(s.fd, Libc.F_GETFL, 0);
        if (flags < 0) {
            return -jnr.ffi.LastError.getLastError(libcRuntime); // EBADF: not an open descriptor
        }
        long h = io.allocateMemory(loop.pollSize, true);
        if (h == 0) {
            throw new OutOfMemoryError("malloc(" + loop.pollSize + ") for a uv_poll_t failed");
        }
        int rc = uv.uv_poll_init(loop.uvLoop, h, s.fd);
        if (rc != 0) {
            io.freeMemory(h); // never initialised: libuv does not know it
            return rc;
        }
        if ((flags & Libc.O_NONBLOCK) == 0) {
            libc.fcntl(s.fd, Libc.F_SETFL, flags);
        }
        io.putAddress(h, s.fd); // data: the index of this descriptor's entry (LibuvLayout checked data@0)
        s.handle = h;
        s.started = 0;
        handles++;
        return 0;
    }

    /** uv_close: libuv stops polling now (EPOLL_CTL_DEL, errors ignored); the memory goes in close_cb. */
    private void close(LibuvPoll s) {
        if (s.handle != 0) {
            loop.closeHandle(s.handle);
            s.handle = 0;
            s.started = 0;
            handles--;
        }
    }

    /** Applies deferred mask changes; runs immediately before uv_run (see the class comment). */
    void flush() {
        drainClosedElsewhere();
        for (int i = 0; i < dirtyCount; i++) {
            LibuvPoll s = fds[dirty[i]];
            s.dirty = false;
            int wanted = s.wanted();
            if (wanted == s.started) {
                continue;
            }
            if (wanted == 0) {
                uv.uv_poll_stop(s.handle); // EPOLL_CTL_DEL; safe on a closed descriptor
                s.started = 0;
                continue;
            }
            int err = s.handle == 0 ? open(s) : 0;
            if (err == 0) {
                err = uv.uv_poll_start(s.handle, wanted, loop.pollCallback);
            }
            if (err == 0) {
                err = confirm(s.fd, wanted);
                refused += err != 0 ? 1 : 0;
            }
            if (err != 0) {
                close(s);
                notifyClosing(s);
                continue;
            }
            s.started = wanted;
        }
        dirtyCount = 0;
    }

    /** The EPOLL_CTL_ADD libuv is about to make, made first: 0 when the kernel takes it, else -errno. */
    private int confirm(int fd, int uvMask) {
        int events = 0;
        if ((uvMask & Libuv.UV_READABLE) != 0) {
            events |= Libc.EPOLLIN;
        }
        if ((uvMask & Libuv.UV_WRITABLE) != 0) {
            events |= Libc.EPOLLOUT;
        }
        if ((uvMask & Libuv.UV_DISCONNECT) != 0) {
            events |= Libc.EPOLLRDHUP;
        }
        io.putInt(epollEvent, events);
        io.putLong(epollEvent + epollDataOffset, fd & 0xFFFF_FFFFL); // data.fd, as libuv sets it
        if (libc.epoll_ctl(backendFd, Libc.EPOLL_CTL_ADD, fd, epollEvent) == 0) {
            return 0;
        }
        int errno = jnr.ffi.LastError.getLastError(libcRuntime);
        return errno == Libc.EEXIST ? 0 : -errno;
    }

    /** From the poll callback: fans one result out to the watchers whose mask matches. */
    void dispatch(long handle, int status, int events) {
        long fd = io.getAddress(handle);
        LibuvPoll s = fd >= 0 && fd < fds.length ? fds[(int) fd] : null;
        if (s == null || s.handle != handle) {
            return;
        }
        int revents;
        if (status < 0) {
            // POLLERR: libuv stopped the handle and says UV_EBADF (src/unix/poll.c). Report it as both
            // events, like epoll's EPOLLERR, and let the next flush re-arm the handle, so that an error
            // stays level-triggered until the watchers consume it.
            s.started = 0;
            markDirty(s);
            revents = Loop.READ | Loop.WRITE;
        } else {
            revents = ((events & (Libuv.UV_READABLE | Libuv.UV_DISCONNECT)) != 0 ? Loop.READ : 0)
                | ((events & Libuv.UV_WRITABLE) != 0 ? Loop.WRITE : 0);
        }
        long iteration = loop.iteration;
        // Walk down from the end: a callback that stops its own watcher swaps an already visited one
        // into its slot; watchers started by callbacks land beyond the start and wait.
        for (int i = s.count - 1; i >= 0; i--) {
            if (i >= s.count) {
                continue;
            }
            LibuvIoWatcher w = s.watchers[i];
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

    void fdClosing(int fd) {
        LibuvPoll s = fd >= 0 && fd < fds.length ? fds[fd] : null;
        if (s != null) {
            close(s);
            notifyClosing(s);
        }
    }

    /** Every watcher of the descriptor is stopped and called once with CLOSED. */
    private void notifyClosing(LibuvPoll s) {
        while (s.count > 0) {
            LibuvIoWatcher w = s.watchers[s.count - 1];
            s.watchers[--s.count] = null;
            w.detach();
            try {
                w.invoke(Loop.READ | Loop.WRITE | Loop.CLOSED);
            } catch (Throwable t) {
                loop.reportError(w.toString(), t);
            }
        }
    }

    /** Another thread closed {@code fd}: its handle is replaced before the loop next trusts it. */
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
            LibuvPoll s = fd >= 0 && fd < fds.length ? fds[fd] : null;
            if (s != null && s.handle != 0) {
                close(s);
                if (s.count > 0) {
                    markDirty(s); // the next flush opens a handle on whatever the number is now
                }
            }
        }
    }

    /** destroy(): watchers stopped without a call (as in the jdk loop), every handle closed. */
    void closeAll() {
        for (LibuvPoll s : fds) {
            if (s != null) {
                while (s.count > 0) {
                    LibuvIoWatcher w = s.watchers[--s.count];
                    s.watchers[s.count] = null;
                    w.detach();
                }
                s.dirty = false;
                close(s);
            }
        }
        dirtyCount = 0;
        closedElsewhere.clear();
    }

    /** Frees the scratch epoll_event; after {@link #closeAll()} and the loop's close. */
    void free() {
        if (epollEvent != 0) {
            io.freeMemory(epollEvent);
            epollEvent = 0;
        }
    }

    /** For debug(): the descriptors with watchers or handles, at most {@code limit} listed. */
    String describe(int limit) {
        StringBuilder sb = new StringBuilder();
        int watched = 0;
        int listed = 0;
        for (LibuvPoll s : fds) {
            if (s == null || (s.count == 0 && s.handle == 0)) {
                continue;
            }
            watched += s.count > 0 ? 1 : 0;
            if (listed++ < limit) {
                sb.append("\n  fd ").append(s.fd).append(": ")
                    .append(s.handle == 0 ? "no uv_poll_t" : "uv_poll_t " + maskName(s.started))
                    .append(", ").append(s.count).append(" watcher(s)");
                for (int i = 0; i < s.count; i++) {
                    sb.append(i == 0 ? " " : ", ").append(maskName(toUv(s.watchers[i].events())));
                }
                if (s.dirty) {
                    sb.append(", change pending");
                }
            }
        }
        if (listed > limit) {
            sb.append("\n  ... ").append(listed - limit).append(" more");
        }
        return watched + " descriptors watched, " + handles + " uv_poll_t open, " + refused
            + " registrations refused" + sb;
    }

    private static String maskName(int uvMask) {
        if (uvMask == 0) {
            return "stopped";
        }
        return ((uvMask & Libuv.UV_READABLE) != 0 ? "r" : "") + ((uvMask & Libuv.UV_WRITABLE) != 0 ? "w" : "");
    }
}

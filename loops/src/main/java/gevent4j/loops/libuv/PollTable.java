package gevent4j.loops.libuv;

import gevent4j.loop.AnyThread;
import gevent4j.loop.Loop;
import gevent4j.loops.common.MultiplexedIoWatcher;
import gevent4j.loops.common.NativeAccess;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The loop's io watchers: any number per descriptor, sharing one kernel registration (the union of
 * their masks) and one {@code uv_poll_t} through which libuv reports it.
 *
 * <p>Note on libuv's {@code abort()}s (libuv 1.44, src/unix/epoll.c and poll.c). libuv registers a
 * poll handle's descriptor itself, inside {@code uv_run}, some time after {@code uv_poll_start}
 * queued it, and aborts the process when the kernel refuses: the descriptor was closed meanwhile
 * ({@code EBADF}), its number now names a regular file ({@code EPERM}), the watch limit is reached
 * ({@code ENOSPC}). Any other thread can close a descriptor at any time, and checking first cannot
 * close the window between the check and libuv's call: with a thread closing descriptors while they
 * were being armed, plain {@code uv_poll_init}/{@code uv_poll_start} aborted within seconds. So
 * libuv is never given an application descriptor:
 * <ul>
 * <li>Each {@code uv_poll_t} is initialised on a placeholder ({@link LibuvPollHandle}): a duplicate
 *     of the read end of a pipe of the loop's own that never becomes ready. libuv registers only
 *     placeholders, which nobody else closes, and the one refusal still possible there
 *     ({@code ENOSPC}) is checked first ({@link #arm}). Handles are started once, with every event,
 *     and pooled.</li>
 * <li>The application's descriptor is registered here, with {@code epoll_ctl} on libuv's epoll
 *     descriptor and the placeholder's number as the epoll data: libuv looks the handle up by that
 *     number when the descriptor is ready and calls back. A refusal is an errno here, never an
 *     abort, and start() returns it ({@code -EPERM} for a regular file) as on the jdk loop.</li>
 * <li>Registration follows the jdk loop: it grows at once, shrinks before the next {@code uv_run};
 *     {@link #fdClosing(int)} unregisters while the descriptor is still open, and after
 *     {@link #closedElsewhere(int)} nothing cached about the number is trusted. An open file that
 *     outlives its closed number (a {@code dup}, a child process) keeps its registration and its
 *     events: the epoll limitation every loop has.</li>
 * </ul>
 * The price is one extra descriptor per descriptor being watched, and libuv's
 * {@code uv_poll_init} no longer switches the application's descriptors to {@code O_NONBLOCK}.
 */
final class PollTable implements MultiplexedIoWatcher.Registry {

    /** What every handle is started with: libuv passes on only the events a handle was started for. */
    private static final int ALL_EVENTS = Libuv.UV_READABLE | Libuv.UV_WRITABLE | Libuv.UV_DISCONNECT;

    private final LibuvLoop loop;
    private final Libuv uv;
    private final Libc libc;
    private final NativeAccess io;
    private final int backendFd;
    /** A {@code struct epoll_event}: packed (12 bytes, data at 4) on x86_64 only (sys/epoll.h). */
    private long epollEvent;
    private final int epollDataOffset;
    /** The pipe placeholders are duplicated from; -1 until the first handle is made. */
    private int quietRead = -1;
    private int quietWrite = -1;

    private PolledFd[] fds = new PolledFd[1024];
    private int[] dirty = new int[64];
    private int dirtyCount;
    private LibuvPollHandle[] pool = new LibuvPollHandle[16];
    private int pooled;
    /** Unbound during a uv_run, whose batch may still name them: pooled at the next flush. */
    private LibuvPollHandle[] quarantine = new LibuvPollHandle[16];
    private int quarantined;
    private int handles;
    private int bound;
    private long syscalls;
    private final ConcurrentLinkedQueue<Integer> closedElsewhere = new ConcurrentLinkedQueue<>();

    PollTable(LibuvLoop loop, Libc libc, int backendFd) {
        this.loop = loop;
        this.uv = loop.uv;
        this.libc = libc;
        this.io = loop.mem;
        this.backendFd = backendFd;
        this.epollDataOffset = epollDataOffset();
        this.epollEvent = io.allocate("epoll_event scratch", 16);
    }

    /**
     * Where {@code epoll_event.data} is: the struct is packed on x86_64 only ({@code __EPOLL_PACKED}
     * in glibc's sys/epoll.h), so data follows the 4-byte events there and is 8-aligned elsewhere.
     * {@link LibuvLayout} confirms it with a real epoll_wait.
     */
    static int epollDataOffset() {
        String arch = System.getProperty("os.arch", "");
        return arch.equals("amd64") || arch.equals("x86_64") ? 4 : 8;
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
        int wanted = s.wanted();
        if (s.registered >= 0 && (s.registered & wanted) == wanted && s.handle != null && s.handle.armed) {
            if (s.registered != wanted) {
                markDirty(s); // shrinks at the flush
            }
            return 0;
        }
        // Register now rather than at the flush so that the caller learns of EPERM (regular files).
        int err = register(s, wanted);
        if (err != 0) {
            s.remove(w);
            markDirty(s); // the flush unregisters what is left over and unbinds the handle
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

    /** Applies deferred changes; the loop runs it immediately before uv_run. */
    void flush() {
        drainClosedElsewhere();
        while (quarantined > 0) {
            LibuvPollHandle h = quarantine[--quarantined];
            quarantine[quarantined] = null;
            pool(h);
        }
        for (int i = 0; i < dirtyCount; i++) {
            PolledFd s = fds[dirty[i]];
            s.dirty = false;
            int wanted = s.wanted();
            if (wanted == 0) {
                ctl(s, 0);
                unbind(s);
            } else if (wanted != s.registered || s.handle == null || !s.handle.armed) {
                if (register(s, wanted) != 0) {
                    // The descriptor is gone (EBADF) or is no longer one epoll takes: tell the watchers.
                    s.registered = 0;
                    unbind(s);
                    notifyClosing(s);
                }
            }
        }
        dirtyCount = 0;
    }

    /** Binds an armed handle if needed, then registers {@code mask}. Returns 0 or -errno. */
    private int register(PolledFd s, int mask) {
        if (s.handle == null) {
            int err = bind(s);
            if (err != 0) {
                return err;
            }
        } else if (!s.handle.armed) {
            int err = arm(s.handle);
            if (err != 0) {
                return err;
            }
        }
        return ctl(s, mask);
    }

    /**
     * Sets the kernel registration of {@code s} to {@code mask} (0: none) with the handle's
     * placeholder as epoll data. Returns 0 or -errno. An ADD that finds the descriptor registered by
     * someone else (libuv's own eventfd, when handed a number that is not the caller's) is refused
     * rather than turned into a MOD that would take libuv's registration over.
     */
    private int ctl(PolledFd s, int mask) {
        if (mask == 0) {
            if (s.registered != 0) {
                // ENOENT or EBADF: the registration or the descriptor is gone already, which is the goal.
                epollCtl(Libc.EPOLL_CTL_DEL, s.fd, 0, 0);
                s.registered = 0;
            }
            return 0;
        }
        int data = s.handle.placeholder;
        int op = s.registered > 0 ? Libc.EPOLL_CTL_MOD : Libc.EPOLL_CTL_ADD;
        int err = epollCtl(op, s.fd, data, mask);
        if (err == Libc.EEXIST && s.registered < 0) {
            err = epollCtl(Libc.EPOLL_CTL_MOD, s.fd, data, mask); // ours, from before the number was doubted
        } else if (err == Libc.ENOENT && op == Libc.EPOLL_CTL_MOD) {
            err = epollCtl(Libc.EPOLL_CTL_ADD, s.fd, data, mask); // closed and reused behind our back
        }
        if (err != 0) {
            s.registered = -1;
            return -err;
        }
        s.registered = mask;
        return 0;
    }

    /** One epoll_ctl on libuv's epoll descriptor; returns 0 or errno. */
    private int epollCtl(int op, int fd, int data, int uvMask) {
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
        io.putInt(epollEvent + epollDataOffset, data); // data.fd, which libuv reads
        io.putInt(epollEvent + epollDataOffset + 4, 0);
        syscalls++;
        return -libc.epoll_ctl(backendFd, op, fd, epollEvent);
    }

    // ---- poll handles -------------------------------------------------------------------------

    /** Gives {@code s} a handle from the pool, or a new one. Returns 0 or -errno. */
    private int bind(PolledFd s) {
        LibuvPollHandle h = null;
        while (h == null && pooled > 0) {
            h = pool[--pooled];
            pool[pooled] = null;
            if (!h.armed && arm(h) != 0) {
                close(h);
                h = null;
            }
        }
        if (h == null) {
            int err = newHandle();
            if (err != 0) {
                return err;
            }
            h = pool[--pooled];
            pool[pooled] = null;
        }
        s.handle = h;
        io.putLong(h.address, s.fd); // data: whose handle it is (LibuvLayout checked data at 0)
        bound++;
        return 0;
    }

    /** Returns the handle of {@code s} to the pool (via quarantine during a uv_run). */
    private void unbind(PolledFd s) {
        LibuvPollHandle h = s.handle;
        if (h == null) {
            return;
        }
        s.handle = null;
        io.putLong(h.address, -1L);
        bound--;
        if (loop.inUvRun()) {
            if (quarantined == quarantine.length) {
                quarantine = Arrays.copyOf(quarantine, quarantined * 2);
            }
            quarantine[quarantined++] = h;
        } else {
            pool(h);
        }
    }

    private void pool(LibuvPollHandle h) {
        if (pooled == pool.length) {
            pool = Arrays.copyOf(pool, pooled * 2);
        }
        pool[pooled++] = h;
    }

    /** A handle on a new placeholder, armed, into the pool. Returns 0 or -errno. */
    private int newHandle() {
        if (quietRead < 0) {
            // The scratch epoll_event has room for pipe2's two ints.
            int err = libc.pipe2(epollEvent, Libc.O_CLOEXEC);
            if (err != 0) {
                return err;
            }
            quietRead = io.getInt(epollEvent);
            quietWrite = io.getInt(epollEvent + 4);
        }
        int placeholder = libc.fcntl(quietRead, Libc.F_DUPFD_CLOEXEC, 0);
        if (placeholder < 0) {
            return placeholder; // -EMFILE
        }
        long address;
        try {
            address = io.allocate("uv_poll_t", loop.pollSize);
        } catch (OutOfMemoryError e) {
            libc.close(placeholder);
            throw e;
        }
        int rc = uv.uv_poll_init(loop.uvLoop, address, placeholder);
        if (rc != 0) {
            io.free(address); // never initialised: libuv does not know it
            libc.close(placeholder);
            return rc;
        }
        io.putLong(address, -1L);
        LibuvPollHandle h = new LibuvPollHandle(address, placeholder);
        handles++;
        int err = arm(h);
        if (err != 0) {
            close(h);
            return err;
        }
        pool(h);
        return 0;
    }

    /**
     * Starts a handle with every event. libuv will EPOLL_CTL_ADD its placeholder in the next uv_run
     * and abort if the kernel refuses, which on a descriptor nobody else closes can only be the
     * watch limit (ENOSPC); the same ADD is made here first. Returns 0 or -errno.
     */
    private int arm(LibuvPollHandle h) {
        int rc = uv.uv_poll_start(h.address, ALL_EVENTS, loop.pollCallback);
        if (rc == 0) {
            int err = epollCtl(Libc.EPOLL_CTL_ADD, h.placeholder, h.placeholder, ALL_EVENTS);
            if (err != 0 && err != Libc.EEXIST) {
                uv.uv_poll_stop(h.address); // off libuv's queue before it registers anything
                rc = -err;
            }
        }
        h.armed = rc == 0;
        return rc;
    }

    /** uv_close (which unregisters the placeholder at once), then the placeholder itself. */
    private void close(LibuvPollHandle h) {
        loop.closeHandle(h.address);
        libc.close(h.placeholder);
        handles--;
    }

    // ---- events and closes --------------------------------------------------------------------

    /** From the poll callback: fans one result out to the watchers whose mask matches. */
    void dispatch(long handle, int status, int events) {
        long owner = io.getLong(handle);
        PolledFd s = owner >= 0 && owner < fds.length ? fds[(int) owner] : null;
        if (s == null || s.handle == null || s.handle.address != handle) {
            // Unbound during this uv_run, after epoll_wait had reported it.
            if (status < 0) {
                stoppedWhileQuarantined(handle);
            }
            return;
        }
        int revents;
        if (status < 0) {
            // POLLERR: libuv stopped the handle and reports UV_EBADF (src/unix/poll.c). It no longer
            // looks this placeholder up, so unregister now: a level-triggered error would otherwise
            // keep its epoll_wait returning. Report both events, as epoll's EPOLLERR on the jdk loop;
            // the next flush re-arms and re-registers, so the error comes back until it is consumed.
            s.handle.armed = false;
            ctl(s, 0);
            markDirty(s);
            revents = Loop.READ | Loop.WRITE;
        } else {
            revents = ((events & (Libuv.UV_READABLE | Libuv.UV_DISCONNECT)) != 0 ? Loop.READ : 0)
                | ((events & Libuv.UV_WRITABLE) != 0 ? Loop.WRITE : 0);
        }
        long iteration = loop.iteration;
        boolean invoked = false;
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
            invoked = true;
            try {
                w.invoke(matched);
            } catch (Throwable t) {
                loop.reportError(w.toString(), t);
            }
        }
        if (!invoked) {
            shrinkNow(s);
        }
    }

    /**
     * libuv reported what no watcher takes any more: their watchers stopped earlier in this uv_run.
     * That happens when libuv polls again within one uv_run, which it does up to 48 times as long as
     * each epoll_wait fills its 1,024 events (src/unix/linux-core.c): the registration is level-triggered,
     * so every descriptor whose greenlet has not read yet is reported again in each of those polls,
     * each report an upcall for nothing, and the polls stay full. Applying the shrink the flush would
     * make now (one epoll_ctl, the same one) takes the descriptor off the ready list: the polls soon
     * come back short and uv_run returns. A descriptor left without watchers keeps its handle until
     * the flush, which unbinds it as before; one whose watchers come back is registered again.
     */
    private void shrinkNow(PolledFd s) {
        int wanted = s.wanted();
        if (s.registered > 0 && s.registered != wanted && (wanted & ~s.registered) == 0) {
            ctl(s, wanted);
            markDirty(s); // the flush unbinds (or re-registers after a failed MOD)
        }
    }

    /**
     * libuv stopped (POLLERR) a handle that a callback of this uv_run had unbound, so it is in
     * quarantine: it must be re-armed before reuse. Taken as armed, the next descriptor bound to it
     * would be registered with a placeholder libuv no longer looks up: libuv would drop its events
     * (its EPOLL_CTL_DEL names the placeholder, not the descriptor, which stays registered) and spin
     * in epoll_wait on them until its timeout, never calling back.
     */
    private void stoppedWhileQuarantined(long handle) {
        for (int i = 0; i < quarantined; i++) {
            if (quarantine[i].address == handle) {
                quarantine[i].armed = false;
                return;
            }
        }
    }

    /** The descriptor is about to be closed: unregister it while it is open, then tell the watchers. */
    void fdClosing(int fd) {
        PolledFd s = fd >= 0 && fd < fds.length ? fds[fd] : null;
        if (s != null) {
            ctl(s, 0);
            unbind(s);
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
            if (s != null && (s.registered != 0 || s.handle != null)) {
                if (s.registered != 0) {
                    s.registered = -1; // re-registered (or found gone) by the next flush
                }
                markDirty(s);
            }
        }
    }

    /** destroy(): watchers stopped without a call (as on the jdk loop), every handle closed. */
    void closeAll() {
        for (PolledFd s : fds) {
            if (s != null) {
                while (s.count > 0) {
                    MultiplexedIoWatcher w = s.watchers[--s.count];
                    s.watchers[s.count] = null;
                    w.detach();
                }
                s.dirty = false;
                s.registered = 0; // the epoll descriptor goes with the loop
                if (s.handle != null) {
                    LibuvPollHandle h = s.handle;
                    s.handle = null;
                    bound--;
                    close(h);
                }
            }
        }
        while (pooled > 0) {
            close(pool[--pooled]);
            pool[pooled] = null;
        }
        while (quarantined > 0) {
            close(quarantine[--quarantined]);
            quarantine[quarantined] = null;
        }
        dirtyCount = 0;
        closedElsewhere.clear();
        if (quietRead >= 0) {
            libc.close(quietRead);
            libc.close(quietWrite);
            quietRead = quietWrite = -1;
        }
    }

    /** Frees the scratch epoll_event; after {@link #closeAll()} and the loop's close. */
    void free() {
        if (epollEvent != 0) {
            io.free(epollEvent);
            epollEvent = 0;
        }
    }

    /** For debug(): the descriptors with watchers or a registration, at most {@code limit} listed. */
    String describe(int limit) {
        StringBuilder sb = new StringBuilder();
        int watched = 0;
        int listed = 0;
        for (PolledFd s : fds) {
            if (s == null || (s.count == 0 && s.registered == 0 && s.handle == null)) {
                continue;
            }
            watched += s.count > 0 ? 1 : 0;
            if (listed++ < limit) {
                sb.append("\n  fd ").append(s.fd).append(": registered ")
                    .append(s.registered < 0 ? "?" : maskName(s.registered))
                    .append(s.handle == null ? ", no uv_poll_t" : ", uv_poll_t on placeholder " + s.handle.placeholder
                        + (s.handle.armed ? "" : " (stopped by libuv)"))
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
        return watched + " descriptors watched, " + handles + " uv_poll_t (" + bound + " bound, " + (pooled + quarantined)
            + " pooled), " + syscalls + " epoll_ctl" + sb;
    }

    private static String maskName(int uvMask) {
        if (uvMask == 0) {
            return "-";
        }
        return ((uvMask & Libuv.UV_READABLE) != 0 ? "r" : "") + ((uvMask & Libuv.UV_WRITABLE) != 0 ? "w" : "");
    }
}

package gevent4j.loops.libev;

import gevent4j.loop.AnyThread;
import gevent4j.loop.Loop;
import gevent4j.loops.common.MultiplexedIoWatcher;
import gevent4j.loops.common.NativeAccess;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The descriptors of a libev loop: one native {@code ev_io} per descriptor number, Java watchers
 * multiplexed on it, and every rule that keeps libev from meeting a closed descriptor.
 *
 * <p>Note on closed descriptors. libev as Debian builds it keeps its assertions, and several of
 * them abort the process when a registered descriptor turns out to be closed: epoll_ctl with EBADF
 * ("I/O watcher with invalid fd found in epoll_ctl"), poll's POLLNVAL ("poll found invalid fd in
 * poll set"), io_uring's -EBADF ("event loop rejected bad fd"); only select recovers (fd_ebadf).
 * Hence:
 * <ul>
 *   <li>{@link #add} checks the descriptor with statx(2) the first time a number is watched after
 *       a close: a closed one fails with -EBADF, and regular files and directories fail with -EPERM on
 *       every backend, as epoll refuses them (libev would otherwise emulate epoll's EPERM as
 *       "always ready", and select and poll accept them as always ready);</li>
 *   <li>{@link #closing} stops the descriptor's native watcher before the caller closes it; libev
 *       drops it at the next fd_reify with no system call on the dead number (epoll ignores a DEL,
 *       poll and select edit their arrays, io_uring removes its poll by user_data);</li>
 *   <li>{@link #closedElsewhere} (any thread) queues the number; before the next poll the loop
 *       re-checks it: if the number is closed its native watcher is stopped (the Java watchers stay
 *       active, silent, until the number is watched again), and if it was reused it is
 *       re-registered with {@code EV__IOFDSET}, since the kernel dropped the old file's
 *       registration while libev still believes in it.</li>
 * </ul>
 * What stays fatal is what no loop can see: a descriptor closed without either call, or closed on
 * another thread while poll(2) sleeps on it (the kernel then reports POLLNVAL for it). The JDK's
 * own channels keep the number valid until the last blocked operation has left (preClose), so they
 * do not hit this.
 *
 * <p>Registration is deferred as in libuv's {@code uv__io_start}: {@link #add} and {@link #remove}
 * only mark the number, and {@link #flush} applies the union mask just before {@code ev_run}, so a
 * greenlet that stops and restarts its watcher within one iteration costs no native call.
 */
final class LibevFds implements MultiplexedIoWatcher.Registry {

    private static final int EPERM = 1;
    private static final int EBADF = 9;
    private static final int ENOSYS = 38;
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int STATX_TYPE = 0x1;
    /** struct statx's stx_mode, the same on every Linux architecture. */
    private static final int STX_MODE = 0x1c;
    private static final int STATX_SIZE = 256;
    private static final int S_IFMT = 0xF000;
    private static final int S_IFREG = 0x8000;
    private static final int S_IFDIR = 0x4000;

    private final LibevLoop loop;
    private final LibevBinding ev;
    private final NativeAccess mem;
    private final LibevLayout layout;
    private final long evLoop;
    private final long callback;
    /** statx's result buffer, followed by the empty path string. */
    private final long statx;

    private LibevFd[] fds = new LibevFd[1024];
    private int[] dirty = new int[64];
    private int dirtyCount;

    private final ConcurrentLinkedQueue<Integer> closedElsewhere = new ConcurrentLinkedQueue<>();
    private final AtomicInteger closedElsewhereCount = new AtomicInteger();
    private int closedElsewhereSeen;

    LibevFds(LibevLoop loop, LibevLibrary lib, long evLoop, long callback) {
        this.loop = loop;
        this.ev = lib.ev;
        this.mem = lib.mem;
        this.layout = lib.layout;
        this.evLoop = evLoop;
        this.callback = callback;
        this.statx = mem.allocate("libev statx buffer", STATX_SIZE + 8);
    }

    private LibevFd state(int fd) {
        if (fd >= fds.length) {
            fds = Arrays.copyOf(fds, Math.max(fd + 1, fds.length * 2));
        }
        LibevFd s = fds[fd];
        if (s == null) {
            s = fds[fd] = new LibevFd(fd);
        }
        return s;
    }

    /** Returns 0, or a negative errno when the descriptor cannot be watched. */
    @Override
    public int add(MultiplexedIoWatcher w) {
        drainClosedElsewhere();
        LibevFd s = state(w.fd());
        if (!s.checked) {
            int err = check(s.fd);
            if (err != 0) {
                return err;
            }
            s.checked = true;
        }
        s.add(w);
        markDirty(s);
        return 0;
    }

    @Override
    public void remove(MultiplexedIoWatcher w) {
        LibevFd s = fds[w.fd()];
        if (s != null) {
            s.remove(w);
            markDirty(s);
        }
    }

    /**
     * 0 for a descriptor libev may watch, -EBADF for a closed one, -EPERM for a regular file or a
     * directory. Where statx(2) itself is unavailable (ENOSYS, or EPERM from a seccomp filter) the
     * type cannot be told and only openness is known (an errno other than EBADF).
     */
    private int check(int fd) {
        int result = ev.statx(fd, statx + STATX_SIZE, AT_EMPTY_PATH, STATX_TYPE, statx);
        if (result == 0) {
            int type = mem.getShort(statx + STX_MODE) & S_IFMT;
            return type == S_IFREG || type == S_IFDIR ? -EPERM : 0;
        }
        return result == -ENOSYS || result == -EPERM ? 0 : result;
    }

    private boolean isOpen(int fd) {
        return check(fd) != -EBADF;
    }

    private void markDirty(LibevFd s) {
        if (!s.dirty) {
            s.dirty = true;
            if (dirtyCount == dirty.length) {
                dirty = Arrays.copyOf(dirty, dirtyCount * 2);
            }
            dirty[dirtyCount++] = s.fd;
        }
    }

    /** Brings libev in line with the Java watchers; called just before every ev_run. */
    void flush() {
        drainClosedElsewhere();
        for (int i = 0; i < dirtyCount; i++) {
            LibevFd s = fds[dirty[i]];
            s.dirty = false;
            apply(s);
        }
        dirtyCount = 0;
    }

    private void apply(LibevFd s) {
        int wanted = s.wantedEvents();
        if (wanted == s.nativeEvents && (s.trusted || wanted == 0)) {
            return;
        }
        if (s.nativeEvents != 0) {
            ev.ev_io_stop(evLoop, s.io);
            s.nativeEvents = 0;
        }
        if (wanted == 0 || (!s.trusted && !isOpen(s.fd))) {
            return; // closed elsewhere and not reused yet: stay unregistered until watched again
        }
        if (s.io == 0) {
            s.io = mem.allocate("libev ev_io", layout.ioSize());
            mem.putLong(s.io + layout.cb(), callback);
            mem.putLong(s.io + layout.data(), s.fd);
            mem.putInt(s.io + layout.ioFd(), s.fd);
        }
        mem.putInt(s.io + layout.ioEvents(), wanted | (s.trusted ? 0 : LibevLibrary.EV__IOFDSET));
        ev.ev_io_start(evLoop, s.io);
        s.nativeEvents = wanted;
        s.trusted = true;
    }

    /** {@link Loop#fdClosing(int)}: on the loop thread, before the descriptor is closed. */
    void closing(int fd) {
        if (fd < 0 || fd >= fds.length || fds[fd] == null) {
            return;
        }
        LibevFd s = fds[fd];
        if (s.nativeEvents != 0) {
            ev.ev_io_stop(evLoop, s.io);
            s.nativeEvents = 0;
        }
        s.trusted = false;
        s.checked = false;
        notifyClosing(s);
    }

    private void notifyClosing(LibevFd s) {
        while (s.count > 0) {
            MultiplexedIoWatcher w = s.watchers[s.count - 1];
            s.watchers[--s.count] = null;
            w.detach();
            try {
                w.invoke(Loop.READ | Loop.WRITE | Loop.CLOSED);
            } catch (Throwable t) {
                loop.callbackFailed(w, t);
            }
        }
    }

    @AnyThread
    void closedElsewhere(int fd) {
        if (fd >= 0) {
            closedElsewhere.offer(fd);
            closedElsewhereCount.incrementAndGet();
        }
    }

    private void drainClosedElsewhere() {
        int count = closedElsewhereCount.get();
        if (count == closedElsewhereSeen) {
            return;
        }
        closedElsewhereSeen = count;
        Integer fd;
        while ((fd = closedElsewhere.poll()) != null) {
            if (fd < fds.length && fds[fd] != null) {
                LibevFd s = fds[fd];
                s.trusted = false;
                s.checked = false;
                markDirty(s);
            }
        }
    }

    /** The io callback: {@code watcher} is one of our native ev_io, its data field the number. */
    void dispatch(long watcher, int revents, long iteration) {
        int fd = (int) mem.getLong(watcher + layout.data());
        LibevFd s = fd >= 0 && fd < fds.length ? fds[fd] : null;
        if (s == null || s.io != watcher) {
            return;
        }
        if ((revents & LibevLibrary.EV_ERROR) != 0) {
            // libev gave up on the descriptor (fd_kill) and stopped the native watcher itself.
            s.nativeEvents = 0;
            s.trusted = false;
            s.checked = false;
            notifyClosing(s);
            return;
        }
        if (s.count == 0) {
            markDirty(s); // the last watcher stopped during this poll: shrink at the next flush
            return;
        }
        int ready = revents & (Loop.READ | Loop.WRITE);
        // Walk down from the end: a callback that stops its own watcher swaps an already visited
        // one into its slot; watchers started by callbacks land beyond the start and wait.
        for (int i = s.count - 1; i >= 0; i--) {
            if (i >= s.count) {
                continue;
            }
            MultiplexedIoWatcher w = s.watchers[i];
            int matched = ready & w.events();
            if (matched == 0 || w.dispatchedIn == iteration) {
                continue;
            }
            w.dispatchedIn = iteration;
            try {
                w.invoke(matched);
            } catch (Throwable t) {
                loop.callbackFailed(w, t);
            }
        }
    }

    /** destroy(): every watcher stopped without a CLOSED call, every native ev_io stopped. */
    void stopAll() {
        for (LibevFd s : fds) {
            if (s == null) {
                continue;
            }
            while (s.count > 0) {
                MultiplexedIoWatcher w = s.watchers[--s.count];
                s.watchers[s.count] = null;
                w.detach();
            }
            if (s.nativeEvents != 0) {
                ev.ev_io_stop(evLoop, s.io);
                s.nativeEvents = 0;
            }
        }
        dirtyCount = 0;
    }

    /** After ev_loop_destroy: libev holds none of this memory any more. */
    void free() {
        for (LibevFd s : fds) {
            if (s != null && s.io != 0) {
                mem.free(s.io);
                s.io = 0;
            }
        }
        mem.free(statx);
    }

    /** One line per watched descriptor. */
    void describe(StringBuilder out) {
        for (LibevFd s : fds) {
            if (s == null || (s.count == 0 && s.nativeEvents == 0)) {
                continue;
            }
            out.append("\n  fd ").append(s.fd).append(": libev mask ").append(mask(s.nativeEvents))
                .append(s.trusted ? "" : " (re-registers at next poll)");
            for (int i = 0; i < s.count; i++) {
                out.append("\n    ").append(s.watchers[i]);
            }
        }
    }

    private static String mask(int events) {
        return switch (events & (Loop.READ | Loop.WRITE)) {
            case Loop.READ -> "READ";
            case Loop.WRITE -> "WRITE";
            case Loop.READ | Loop.WRITE -> "READ|WRITE";
            default -> "none";
        };
    }
}

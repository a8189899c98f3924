package gevent4j.loops.libev;

import gevent4j.loops.common.NativeAccess;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * libev's fatal system-call errors ({@code ev_set_syserr_cb}), reported instead of {@code abort()}.
 *
 * <p>Without a callback, libev prints {@code perror(msg)} and aborts the process. With one, libev
 * 4.33 calls it and carries on (ev.c {@code ev_syserr}): a failed {@code epoll_wait}/{@code poll}/
 * {@code select} returns from the poll with no events, and a few setup paths retry in a loop
 * ({@code while (pipe (fds)) ev_syserr (...)}, {@code epoll_fork}'s {@code epoll_create},
 * {@code iouring_fork}). So the callback can simply return: no longjmp, and no exception may leave
 * the upcall (JNR's or FFM's). What it does instead:
 * <ul>
 *   <li>it reads errno first (best effort: the JVM's upcall path could in principle change it),</li>
 *   <li>it hands the error to the loop running on this thread, which throws it as a
 *       {@link gevent4j.loop.LoopException} once {@code ev_run} has returned; the Hub then reports
 *       it and backs off for a second, so a persistent failure cannot spin a CPU,</li>
 *   <li>when errors repeat within a second it parks this thread for a second before returning, so
 *       that libev's own retry loops (which never return to the loop) back off too, and recover by
 *       themselves once the condition clears (EMFILE, ENOMEM).</li>
 * </ul>
 * The callback is process-wide (libev has one {@code syserr_cb}): it is installed once, through the
 * first binding that loads libev (JNR or FFM; both reach the same library), and stays strongly
 * reachable for the life of the process. It serves the loops of either binding, since it routes
 * by thread.
 */
final class LibevSyserr implements LibevBinding.SyserrCallback {

    private static final long BACK_OFF_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Object LOCK = new Object();
    /** Strongly reachable for the life of the process: libev keeps the function pointer. */
    private static LibevSyserr installed;
    /** Callbacks {@link #installThrough} replaced, kept for the same reason. */
    private static final List<LibevSyserr> REPLACED = new ArrayList<>();
    /** The loop whose native calls run on this thread; set at the start of each run. */
    private static final ThreadLocal<LibevLoop> CURRENT = new ThreadLocal<>();

    private final LibevBinding ev;
    private final NativeAccess mem;
    private volatile long lastNanos = System.nanoTime() - 2 * BACK_OFF_NANOS;

    private LibevSyserr(LibevBinding ev) {
        this.ev = ev;
        this.mem = ev.memory();
    }

    static void install(LibevBinding ev) {
        synchronized (LOCK) {
            if (installed == null) {
                installed = new LibevSyserr(ev);
                ev.ev_set_syserr_cb(installed);
            }
        }
    }

    /**
     * Installs a callback through {@code ev} even if one is installed already, replacing it: for
     * tests that must exercise one binding's callback path. The replaced one stays reachable, as
     * libev may be inside it on another thread.
     */
    static void installThrough(LibevBinding ev) {
        synchronized (LOCK) {
            LibevSyserr callback = new LibevSyserr(ev);
            ev.ev_set_syserr_cb(callback);
            if (installed != null) {
                REPLACED.add(installed);
            }
            installed = callback;
        }
    }

    /** Routes errors raised on this thread to {@code loop}; cheap when it already does. */
    static void enter(LibevLoop loop) {
        if (CURRENT.get() != loop) {
            CURRENT.set(loop);
        }
    }

    static void forget(LibevLoop loop) {
        if (CURRENT.get() == loop) {
            CURRENT.remove();
        }
    }

    @Override
    public void invoke(long message) {
        try {
            int errno = mem.getInt(ev.__errno_location());
            String msg = message == 0 ? "(libev) system error" : mem.string(message);
            String name = String.valueOf(mem.string(ev.strerror(errno)));
            LibevLoop loop = CURRENT.get();
            if (loop != null) {
                loop.syserr(msg, errno, name);
            } else {
                System.err.println("gevent4j: libev: " + msg + " failed: " + name + " (errno " + errno + ")");
            }
            long now = System.nanoTime();
            if (now - lastNanos < BACK_OFF_NANOS) {
                LockSupport.parkNanos(BACK_OFF_NANOS);
            }
            lastNanos = System.nanoTime();
        } catch (Throwable ignored) {
            // Nothing may propagate into libev; the error is already as reported as it can be.
        }
    }
}

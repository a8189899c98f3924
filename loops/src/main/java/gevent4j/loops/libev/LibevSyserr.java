package gevent4j.loops.libev;

import com.kenai.jffi.MemoryIO;
import gevent4j.loops.libev.LibevLibrary.Api;
import gevent4j.loops.libev.LibevLibrary.LibC;
import java.nio.charset.StandardCharsets;
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
 * a JNR upcall. What it does instead:
 * <ul>
 *   <li>it reads errno first (best effort: the JVM's upcall path could in principle change it),</li>
 *   <li>it hands the error to the loop running on this thread, which throws it as a
 *       {@link gevent4j.loop.LoopException} once {@code ev_run} has returned; the Hub then reports
 *       it and backs off for a second, so a persistent failure cannot spin a CPU,</li>
 *   <li>when errors repeat within a second it parks this thread for a second before returning, so
 *       that libev's own retry loops (which never return to the loop) back off too, and recover by
 *       themselves once the condition clears (EMFILE, ENOMEM).</li>
 * </ul>
 * The callback is process-wide (libev has one {@code syserr_cb}): it is installed once and stays
 * strongly reachable for the life of the process.
 */
final class LibevSyserr implements LibevLibrary.SyserrCallback {

    private static final long BACK_OFF_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Object LOCK = new Object();
    /** Strongly reachable for the life of the process: libev keeps the function pointer. */
    private static LibevSyserr installed;
    /** The loop whose native calls run on this thread; set at the start of each run. */
    private static final ThreadLocal<LibevLoop> CURRENT = new ThreadLocal<>();

    private final LibC libc;
    private final MemoryIO mem = MemoryIO.getInstance();
    private volatile long lastNanos = System.nanoTime() - 2 * BACK_OFF_NANOS;

    private LibevSyserr(LibC libc) {
        this.libc = libc;
    }

    static void install(Api ev, LibC libc) {
        synchronized (LOCK) {
            if (installed == null) {
                installed = new LibevSyserr(libc);
                ev.ev_set_syserr_cb(installed);
            }
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
            int errno = mem.getInt(libc.__errno_location());
            String msg = message == 0 ? "(libev) system error"
                : new String(mem.getZeroTerminatedByteArray(message), StandardCharsets.UTF_8);
            String name = String.valueOf(libc.strerror(errno));
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

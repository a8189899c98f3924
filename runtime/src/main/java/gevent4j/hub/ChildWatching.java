package gevent4j.hub;

import gevent4j.internal.JdkInternals;
import gevent4j.loop.IoCallback;
import gevent4j.loop.IoWatcher;
import gevent4j.loop.Loop;
import gevent4j.loop.LoopThread;
import gevent4j.loop.ProcessDescriptors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The {@code disable_watch_children} setting (false by default: children are watched).
 *
 * <p>The JDK waits for each child process on a "process reaper" thread of its own, blocked in
 * {@code waitpid} until the child exits: a thousand children waited on by greenlets would cost a
 * thousand OS threads. Watching a child here means: when a greenlet starts it, its exit is
 * watched by the Hub's loop through a process descriptor ({@code pidfd_open(2)}), as an ordinary
 * io watcher that every loop supports; once the descriptor is readable the child has exited, and
 * the JDK's own reaper task runs on a greenlet, where its {@code waitpid} returns at once.
 *
 * <p>Why the JDK's task and not a reap of our own: the task reaps exactly its own pid, encodes the
 * status as the JDK does (exit code, or 0x80 + signal), completes the future behind
 * {@code waitFor}, {@code exitValue}, {@code isAlive} and {@code onExit}, and removes it from the
 * JDK's table, all exactly as without the agent. Nothing here ever reaps: libev's and libuv's
 * child watchers reap whatever child exits ({@code waitpid(-1)} on {@code SIGCHLD}), which would
 * steal the status of children the JDK, or other code, waits for.
 *
 * <p>Why on a greenlet and not on the Hub: completing the future runs the JDK's
 * {@code ProcessImpl} code, which takes the process's lock and the monitors of its output
 * streams, and a greenlet blocked in a read of that stream holds the monitor while it waits for
 * the Hub. The greenlet simply waits its turn.
 *
 * <p>Anything unexpected hands the task back to the JDK's reaper pool, so that an exit is never
 * lost and the Hub never blocks: process descriptors unavailable (Linux before 5.3, a seccomp
 * filter, no C library binding), a descriptor the loop cannot watch, or a descriptor reported
 * readable while the child is still running.
 */
public final class ChildWatching {

    /** The implementation, in the {@code loops} module (it calls the C library). */
    static final String PROCESS_DESCRIPTORS = "gevent4j.loops.pidfd.LinuxPidfds";
    /** The JDK's name for its reaper threads; its task adds " (pid N)" while it runs. */
    private static final String REAPER_NAME = "process reaper";

    private static final String FALLBACK = "each child gets a \"process reaper\" thread of the JDK's";

    private final Hub hub;
    private final boolean enabled;
    private final Executor pool;
    private final Supplier<ProcessDescriptors> load;
    /** The probe's outcome (null inside: not usable here); set at the first child a greenlet starts. */
    private final AtomicReference<CompletableFuture<ProcessDescriptors>> descriptors = new AtomicReference<>();

    ChildWatching(Hub hub, boolean enabled, Executor pool) {
        this(hub, enabled, pool, ChildWatching::load);
    }

    /**
     * @param pool where the probe runs: binding the C library takes up to a few hundred
     *     milliseconds the first time (JNR's start-up, on the jdk loop), which the Hub must not wait for
     * @param load the process descriptors, or null when they cannot be used here
     */
    ChildWatching(Hub hub, boolean enabled, Executor pool, Supplier<ProcessDescriptors> load) {
        this.hub = hub;
        this.enabled = enabled;
        this.pool = pool;
        this.load = load;
    }

    private static ProcessDescriptors load() {
        ProcessDescriptors descriptors;
        try {
            descriptors = instance();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            Log.info("child processes: cannot load " + PROCESS_DESCRIPTORS + " (" + e + "); " + FALLBACK);
            return null;
        }
        if (!descriptors.isAvailable()) {
            Log.info("child processes: " + descriptors.unavailabilityCause().getMessage() + "; " + FALLBACK);
            return null;
        }
        return descriptors;
    }

    /**
     * The process descriptors, or null. Probed once, at the first child, on the threadpool: a
     * greenlet that starts a child meanwhile parks until the probe is done (the Hub runs on), so
     * that a JVM that starts no child pays nothing and every child is treated the same way.
     */
    private ProcessDescriptors descriptors() {
        CompletableFuture<ProcessDescriptors> probe = descriptors.get();
        if (probe == null) {
            CompletableFuture<ProcessDescriptors> mine = new CompletableFuture<>();
            if (descriptors.compareAndSet(null, mine)) {
                try {
                    pool.execute(() -> {
                        try {
                            mine.complete(load.get());
                        } catch (Throwable t) {
                            Log.info("child processes: probing failed (" + t + "); " + FALLBACK);
                            mine.complete(null);
                        }
                    });
                } catch (RuntimeException e) {
                    Log.info("child processes: cannot probe on the threadpool (" + e + "); " + FALLBACK);
                    mine.complete(null);
                }
            }
            probe = descriptors.get();
        }
        return probe.join();
    }

    private static ProcessDescriptors instance() throws ReflectiveOperationException {
        Class<?> type = Class.forName(PROCESS_DESCRIPTORS, true, ChildWatching.class.getClassLoader());
        return (ProcessDescriptors) type.getDeclaredConstructor().newInstance();
    }

    /** One line for {@code info}: whether process descriptors can be used here, or why not. */
    public static String describe() {
        try {
            return instance().describe();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return "pidfd: not available: cannot load " + PROCESS_DESCRIPTORS + ": " + e;
        }
    }

    /** Whether process descriptors can be used here. */
    public static boolean available() {
        try {
            return instance().isAvailable();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return false;
        }
    }

    /**
     * Called by a greenlet that has just started child {@code pid}, on the Hub's thread: watches
     * its exit on the loop and later runs {@code reaper}, the JDK's task for it, on a greenlet.
     * The first call parks the greenlet while the threadpool probes the process descriptors.
     *
     * @return false, having changed nothing, when the JDK must run {@code reaper} itself
     */
    @LoopThread
    boolean watch(long pid, Runnable reaper, Executor jdkReapers) {
        if (!enabled) {
            return false;
        }
        ProcessDescriptors descriptors = descriptors();
        if (descriptors == null) {
            return false;
        }
        int pidfd = descriptors.open(pid);
        if (pidfd < 0) {
            // EMFILE, or a child already reaped by someone else (ESRCH): the JDK copes with both.
            Log.debug("child " + pid + ": pidfd_open failed with errno " + -pidfd + "; the JDK's reaper thread waits for it");
            return false;
        }
        Loop loop = hub.loop();
        ChildExit exit = new ChildExit(descriptors, pid, pidfd, reaper, jdkReapers);
        int rc;
        IoWatcher watcher = null;
        try {
            watcher = loop.io(pidfd, Loop.READ, exit);
            rc = watcher.start();
        } catch (RuntimeException | Error e) {
            forget(loop, descriptors, watcher, pidfd);
            throw e;
        }
        if (rc != 0) {
            forget(loop, descriptors, watcher, pidfd);
            Log.debug("child " + pid + ": the " + hub.loopName() + " loop cannot watch its pidfd (errno " + -rc
                + "); the JDK's reaper thread waits for it");
            return false;
        }
        return true;
    }

    /** Drops a descriptor from the loop, then closes it, as every close through the JDK does. */
    private static void forget(Loop loop, ProcessDescriptors descriptors, IoWatcher watcher, int pidfd) {
        if (watcher != null) {
            watcher.close();
        }
        loop.fdClosing(pidfd);
        descriptors.close(pidfd);
    }

    /** One watched child: its descriptor's watcher callback, on the Hub's thread. */
    private final class ChildExit implements IoCallback {
        private final ProcessDescriptors descriptors;
        private final long pid;
        private final int pidfd;
        private final Runnable reaper;
        private final Executor jdkReapers;

        ChildExit(ProcessDescriptors descriptors, long pid, int pidfd, Runnable reaper, Executor jdkReapers) {
            this.descriptors = descriptors;
            this.pid = pid;
            this.pidfd = pidfd;
            this.reaper = reaper;
            this.jdkReapers = jdkReapers;
        }

        @Override
        public void onIo(IoWatcher watcher, int revents) {
            boolean started = false;
            try {
                started = reap(watcher, revents);
            } catch (RuntimeException | Error e) {
                Hub.handleError("watching child " + pid, e);
            }
            if (!started) {
                jdkReapers.execute(reaper);
            }
        }

        /** Returns true when the JDK's task was started on a greenlet. */
        private boolean reap(IoWatcher watcher, int revents) {
            if ((revents & Loop.CLOSED) != 0) {
                // The loop was told the descriptor is closing, which nothing but this class should
                // do: leave the number alone (it may already be someone else's) and let the JDK wait.
                watcher.close();
                Log.debug("child " + pid + ": its pidfd was closed behind gevent4j's back; the JDK's reaper thread waits for it");
                return false;
            }
            forget(hub.loop(), descriptors, watcher, pidfd);
            int state = descriptors.exitState(pid);
            if (state == ProcessDescriptors.RUNNING || (state < 0 && state != -ProcessDescriptors.ECHILD)) {
                // Readable yet not exited, or an error: the JDK's waitpid could block, so not here.
                Log.debug("child " + pid + ": pidfd readable but waitid says " + state
                    + "; the JDK's reaper thread waits for it");
                return false;
            }
            // EXITED: its waitpid returns at once. ECHILD (something else in the process reaped
            // it): its waitpid fails at once, and the JDK then polls the pid as it would anyway.
            JdkInternals.newVirtualThread(hub, REAPER_NAME, reaper).start();
            return true;
        }
    }
}

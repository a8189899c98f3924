package gevent4j.hub;

import gevent4j.internal.JdkInternals;
import gevent4j.internal.ThreadTask;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;

/**
 * Turns the application's platform threads into greenlets and keeps platform-thread semantics
 * they rely on: names, the daemon flag and the JVM's lifetime.
 *
 * <p>The patched application code still constructs its {@code new Thread(...)} (so every
 * constructor argument is validated and the name is chosen exactly as the JDK does) and hands the
 * unstarted object here; the greenlet returned in its place runs that thread's {@code run()}.
 */
public final class Greenlets {

    private final Hub hub;
    private final Lifetime lifetime = new Lifetime();
    /** Greenlets that replaced platform threads, until they finish. */
    private final ConcurrentHashMap<Thread, Task> managed = new ConcurrentHashMap<>();
    /** Platform twins registered as shutdown hooks in place of unstarted greenlets. */
    private final ConcurrentHashMap<Thread, Thread> shutdownTwins = new ConcurrentHashMap<>();

    public Greenlets(Hub hub) {
        this.hub = hub;
    }

    /**
     * The greenlet that replaces an unstarted platform thread, or the thread itself if it must stay.
     *
     * @param site where the application made it, for the spawn tree (see {@code NewThreadRewriter}), or null
     */
    public Thread replace(Thread platform, String site) {
        if (platform.getClass() != Thread.class || platform.getState() != Thread.State.NEW) {
            return platform;
        }
        // The constructor inherited the daemon flag from its creator through Thread.isDaemon(),
        // which answers the emulated flag for a greenlet creator.
        Task task = new Task(platform, platform.isDaemon(), site);
        Thread greenlet = JdkInternals.newVirtualThread(hub, platform.getName(), task);
        managed.put(greenlet, task);
        return greenlet;
    }

    /** The call site {@link #replace(Thread, String)} was given for the greenlet running {@code task}, or null. */
    public static String knownSpawnSite(Runnable task) {
        return task instanceof Task t ? t.site : null;
    }

    /** A factory like {@code jdkFactory} (same names, non-daemon) whose threads are greenlets. */
    public ThreadFactory factory(ThreadFactory jdkFactory) {
        return runnable -> replace(jdkFactory.newThread(runnable), null);
    }

    /**
     * The thread to register for a shutdown hook. A managed greenlet that was never started gets a
     * platform twin that runs the same {@code run()}: the JDK starts hooks from its SIGTERM/exit
     * path and joins them, and a hook that needed the Hub could never run if a greenlet had wedged
     * the Hub (one spinning greenlet holds its only thread), so the JVM could not be stopped. The
     * same greenlet always maps to the same twin, so the JDK's "previously registered" and
     * {@code removeShutdownHook} checks keep working.
     */
    public Thread shutdownHookToAdd(Thread hook) {
        Task state = managed.get(hook);
        Thread platform = state == null ? null : state.platform;
        if (platform == null || hook.getState() != Thread.State.NEW) {
            return hook; // started, or not ours: the JDK decides ("Hook already running", ...)
        }
        return shutdownTwins.computeIfAbsent(hook, greenlet -> {
            Thread twin = new Thread(platform::run, greenlet.getName());
            twin.setDaemon(state.daemon);
            return twin;
        });
    }

    /** The thread that {@link #shutdownHookToAdd} registered for {@code hook}, or {@code hook}. */
    public Thread shutdownHookToRemove(Thread hook) {
        Thread twin = shutdownTwins.get(hook);
        return twin == null ? hook : twin;
    }

    /** Returns true when {@code thread} is a managed greenlet and its emulated flag was set. */
    public boolean setDaemon(Thread thread, boolean on) {
        Task state = managed.get(thread);
        if (state == null) {
            return false;
        }
        if (state.started) {
            throw new IllegalThreadStateException();
        }
        state.daemon = on;
        return true;
    }

    public boolean isDaemon(Thread thread, boolean jdkAnswer) {
        Task state = managed.get(thread);
        return state == null ? jdkAnswer : state.daemon;
    }

    public void beforeStart(Thread thread) {
        Task state = managed.get(thread);
        if (state == null) {
            return;
        }
        synchronized (state) {
            if (state.started) {
                return; // the JDK throws IllegalThreadStateException for the second start
            }
            state.started = true;
            if (!state.daemon) {
                state.retained = true;
                lifetime.retain();
            }
        }
    }

    /** Non-daemon greenlets alive now. */
    public int liveNonDaemon() {
        return lifetime.live();
    }

    /**
     * What a greenlet that replaced an application's platform thread runs, and what the runtime
     * tracks for it (one object per greenlet: its entry in {@link #managed} and its task).
     */
    private final class Task implements Runnable {
        /**
         * The application's unstarted thread object whose {@code run()} the greenlet runs; dropped
         * when it starts (see {@link ThreadTask}), read by {@link #shutdownHookToAdd} before that.
         */
        volatile Thread platform;
        /** Where the application made it (the spawn tree's record), or null. */
        final String site;
        /** The emulated daemon flag: virtual threads are always daemon, platform threads are not. */
        volatile boolean daemon;
        volatile boolean started;
        /** True while this greenlet holds a {@link Lifetime} reference. */
        boolean retained;

        Task(Thread platform, boolean daemon, String site) {
            this.platform = platform;
            this.daemon = daemon;
            this.site = site;
        }

        @Override
        public void run() {
            try {
                Thread p = platform;
                if (ThreadTask.available()) {
                    // Not p.run(): that frame would keep the Thread object alive as long as the greenlet.
                    Runnable r = ThreadTask.of(p);
                    platform = null;
                    p = null;
                    if (r != null) {
                        r.run();
                    }
                } else {
                    p.run();
                }
            } finally {
                managed.remove(Thread.currentThread());
                if (retained) {
                    lifetime.release();
                }
            }
        }
    }
}

package gevent4j.hub;

import gevent4j.internal.JdkInternals;
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
    private final ConcurrentHashMap<Thread, GreenletState> managed = new ConcurrentHashMap<>();
    /** Platform twins registered as shutdown hooks in place of unstarted greenlets. */
    private final ConcurrentHashMap<Thread, Thread> shutdownTwins = new ConcurrentHashMap<>();

    public Greenlets(Hub hub) {
        this.hub = hub;
    }

    /** The greenlet that replaces an unstarted platform thread, or the thread itself if it must stay. */
    public Thread replace(Thread platform) {
        if (platform.getClass() != Thread.class || platform.getState() != Thread.State.NEW) {
            return platform;
        }
        // The constructor inherited the daemon flag from its creator through Thread.isDaemon(),
        // which answers the emulated flag for a greenlet creator.
        GreenletState state = new GreenletState(platform, platform.isDaemon());
        Thread greenlet = JdkInternals.virtualThreadBuilder(hub)
            .name(platform.getName())
            .unstarted(new Task(platform, state));
        managed.put(greenlet, state);
        return greenlet;
    }

    /** A factory like {@code jdkFactory} (same names, non-daemon) whose threads are greenlets. */
    public ThreadFactory factory(ThreadFactory jdkFactory) {
        return runnable -> replace(jdkFactory.newThread(runnable));
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
        GreenletState state = managed.get(hook);
        if (state == null || hook.getState() != Thread.State.NEW) {
            return hook; // started, or not ours: the JDK decides ("Hook already running", ...)
        }
        return shutdownTwins.computeIfAbsent(hook, greenlet -> {
            Thread twin = new Thread(state.platform::run, greenlet.getName());
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
        GreenletState state = managed.get(thread);
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
        GreenletState state = managed.get(thread);
        return state == null ? jdkAnswer : state.daemon;
    }

    public void beforeStart(Thread thread) {
        GreenletState state = managed.get(thread);
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

    private final class Task implements Runnable {
        private final Thread platform;
        private final GreenletState state;

        Task(Thread platform, GreenletState state) {
            this.platform = platform;
            this.state = state;
        }

        @Override
        public void run() {
            try {
                platform.run();
            } finally {
                managed.remove(Thread.currentThread());
                if (state.retained) {
                    lifetime.release();
                }
            }
        }
    }
}

package gevent4j;

import gevent4j.bootstrap.Bridge;
import gevent4j.events.Events;
import gevent4j.events.GreenletFinished;
import gevent4j.events.GreenletSpawned;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A greenlet: a JDK virtual thread that runs on the Hub, with gevent's API around it. Every
 * greenlet of the Hub is one, including those the agent makes out of an application's
 * {@code new Thread}, its pools' threads and its own virtual threads: {@link #current()} answers
 * the same object for all of them.
 *
 * <pre>{@code
 * Greenlet<String> g = Greenlet.spawn(() -> fetch("http://example.org"));
 * g.link(done -> System.out.println(done + " finished"));
 * String page = g.get();           // the value, or the greenlet's exception rethrown
 * }</pre>
 *
 * <p><b>Lifecycle.</b> A greenlet is created, {@linkplain #start() started} once, runs its body
 * and ends {@linkplain #ready() ready} with a {@linkplain #value() value} or an
 * {@linkplain #exception() exception}. Waiting ({@link #join()}, {@link #get()}) parks only the
 * waiting greenlet. Callbacks given to {@link #link} run in the finished greenlet's own thread,
 * after it became ready, in the order they were linked; one linked after the end runs in a new
 * greenlet.
 *
 * <p><b>Killing.</b> {@link #kill()} interrupts the greenlet, Java's way of asking a thread to
 * stop: a sleep, a lock or condition wait, a join or a socket operation then ends with the
 * exception the JDK specifies for an interrupted thread. A greenlet that ends by throwing after it
 * was killed counts as killed ({@link #killed()}), successful with a null value, like gevent's
 * {@code GreenletExit}; one killed before it started never runs its body.
 *
 * <p><b>Spawn tree</b> ({@code track_greenlet_tree}, on by default): each greenlet records the
 * thread that created it, {@linkplain #spawningStack() where} (for an application's
 * {@code new Thread}, that one call site), and shares its spawner's {@linkplain
 * #spawnTreeLocals() spawn-tree locals}. {@link GreenletTree} prints the live greenlets as a tree.
 *
 * <p>Under the agent this class is defined by the boot class loader, so the application and the
 * agent share one copy; without the agent it still works, on the JDK's own virtual-thread
 * scheduler.
 *
 * @param <T> the type of the value
 */
public final class Greenlet<T> implements Runnable {

    private static final int NEW = 0;
    private static final int RUNNING = 1;
    private static final int SUCCEEDED = 2;
    private static final int FAILED = 3;
    private static final int KILLED = 4;

    /** Greenlets whose body runs now, by thread: {@link #current()}, {@link #all()}, the monitor. */
    private static final ConcurrentHashMap<Thread, Greenlet<?>> LIVE = new ConcurrentHashMap<>();
    private static final AtomicLong NUMBERS = new AtomicLong();

    /** Non-greenlet threads' weak reference to themselves, shared by every greenlet they spawn. */
    private static final ThreadLocal<WeakReference<Thread>> CREATOR_REFERENCE = new ThreadLocal<>();
    private static final VarHandle TREE;

    static {
        try {
            TREE = MethodHandles.lookup().findVarHandle(Greenlet.class, "tree", SpawnTree.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A {@code Callable<T>}, or a {@code Runnable} when {@link #runnableBody} (no adapter object per greenlet). */
    private final Object body;
    private final boolean runnableBody;
    private final boolean tracked;
    /**
     * Weak: a strong reference would keep every finished ancestor (and its stack) reachable. One
     * object per spawner, shared by all the greenlets it spawns (see {@link #referenceToCreator}).
     */
    private final WeakReference<Thread> spawner;
    /**
     * The spawn tree this greenlet belongs to (its locals); null until needed. A tree's root makes
     * it when asked for its locals or when it spawns a child, so a greenlet that does neither (a
     * connection handler spawned by an accept loop on {@code main}) has none. Set once, by CAS.
     */
    @SuppressWarnings("unused") // through TREE
    private volatile SpawnTree tree;
    /**
     * Where it was created: a {@link SpawnSite} (the creation stack, captured at spawn), a
     * {@code String} naming the application's {@code new Thread} call site that the agent wrote
     * into the bytecode when it rewrote that call ({@link #siteFrame}), or null when untracked.
     */
    private final Object spawnSite;
    /** A weak reference to this greenlet's thread, shared by the greenlets it spawns; its own thread makes it. */
    private WeakReference<Thread> selfReference;

    private volatile Thread thread;
    private volatile int state = NEW;
    private volatile boolean killRequested;
    /** {@link #startLater}: how long the thread sleeps before the body runs. */
    private Duration startDelay;
    private T value;
    private Throwable exception;
    /** Links not yet run, created by the first {@link #link}. Guarded by this. */
    private List<Consumer<? super Greenlet<T>>> links;
    /** Set once the links have run: later ones run on their own. Guarded by this. */
    private boolean linksRan;

    /** A greenlet that will run {@code body} once {@linkplain #start() started}. */
    public Greenlet(Callable<T> body) {
        this(Objects.requireNonNull(body, "body"), false);
    }

    /** A greenlet that will run {@code body} once started; its value is null. */
    public Greenlet(Runnable body) {
        this(Objects.requireNonNull(body, "body"), true);
    }

    private Greenlet(Object body, boolean runnableBody) {
        this.body = body;
        this.runnableBody = runnableBody;
        this.tracked = Bridge.tracksGreenletTree();
        if (tracked) {
            Thread creator = Thread.currentThread();
            Greenlet<?> parent = LIVE.get(creator);
            this.spawner = referenceToCreator(creator, parent);
            // gevent's rule: the children of a root (here: of a platform thread) each start a new
            // tree; below that, a whole tree shares one map.
            if (parent != null && parent.tracked) {
                TREE.setRelease(this, parent.treeForChildren());
            }
            // A known call site costs nothing; a captured stack costs a stack walk (microseconds)
            // and ~0.7 KB of backtrace per greenlet.
            String site = runnableBody ? Bridge.knownSpawnSite((Runnable) body) : null;
            this.spawnSite = site != null ? site : new SpawnSite();
        } else {
            this.spawner = null;
            this.spawnSite = null;
        }
    }

    /**
     * A weak reference to {@code creator}, the same object for every greenlet it spawns: a
     * greenlet keeps one in its own field (only its own thread spawns as it, so no race), any
     * other thread in a thread local.
     */
    private static WeakReference<Thread> referenceToCreator(Thread creator, Greenlet<?> parent) {
        if (parent != null) {
            WeakReference<Thread> ref = parent.selfReference;
            if (ref == null) {
                ref = new WeakReference<>(creator);
                parent.selfReference = ref;
            }
            return ref;
        }
        WeakReference<Thread> ref = CREATOR_REFERENCE.get();
        if (ref == null) {
            ref = new WeakReference<>(creator);
            CREATOR_REFERENCE.set(ref);
        }
        return ref;
    }

    /** This greenlet's spawn tree, made now if it has none (it is a root that had no use for it yet). */
    private SpawnTree treeForChildren() {
        SpawnTree t = (SpawnTree) TREE.getAcquire(this);
        if (t != null) {
            return t;
        }
        SpawnTree made = new SpawnTree();
        SpawnTree witness = (SpawnTree) TREE.compareAndExchangeRelease(this, null, made);
        return witness != null ? witness : made;
    }

    /** Creates and starts a greenlet that runs {@code body}. */
    public static <T> Greenlet<T> spawn(Callable<T> body) {
        Greenlet<T> g = new Greenlet<>(body);
        g.start();
        return g;
    }

    /** Creates and starts a greenlet that runs {@code body}; its value is null. */
    public static Greenlet<Void> spawn(Runnable body) {
        Greenlet<Void> g = new Greenlet<>(body);
        g.start();
        return g;
    }

    /** Creates a greenlet that runs {@code body} after {@code delay}; see {@link #startLater}. */
    public static <T> Greenlet<T> spawnLater(Duration delay, Callable<T> body) {
        Greenlet<T> g = new Greenlet<>(body);
        g.startLater(delay);
        return g;
    }

    /** Creates a greenlet that runs {@code body} after {@code delay}; its value is null. */
    public static Greenlet<Void> spawnLater(Duration delay, Runnable body) {
        Greenlet<Void> g = new Greenlet<>(body);
        g.startLater(delay);
        return g;
    }

    /**
     * Schedules this greenlet to run now.
     *
     * @throws IllegalStateException when it was started before
     */
    public void start() {
        startThread(null);
    }

    /**
     * Schedules this greenlet to run its body after {@code delay}: its thread starts now and sleeps
     * on the Hub's timer first, so {@link #kill()} meanwhile stops it before its body runs.
     */
    public void startLater(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        startThread(delay);
    }

    private void startThread(Duration delay) {
        Thread t;
        synchronized (this) {
            if (thread != null || state != NEW) {
                throw new IllegalStateException(this + " was started already");
            }
            startDelay = delay;
            String name = "Greenlet-" + NUMBERS.incrementAndGet();
            t = Bridge.newGreenletThread(this, name);
            if (t == null) {
                t = Thread.ofVirtual().name(name).unstarted(this);
            }
            thread = t;
        }
        t.start();
    }

    /**
     * Runs the body in the calling thread. The greenlet's own thread calls this; it is public
     * because a greenlet is a {@code Runnable} that any thread factory or executor may be given
     * (for example {@code Thread.ofVirtual().start(new Greenlet<>(body))}).
     *
     * @throws IllegalStateException when the greenlet already runs or ran, or belongs to another thread
     */
    @Override
    @SuppressWarnings("unchecked")
    public void run() {
        Thread me = Thread.currentThread();
        synchronized (this) {
            if (state != NEW || (thread != null && thread != me)) {
                throw new IllegalStateException(this + " cannot run in " + me + ": it belongs to " + thread);
            }
            thread = me;
            state = RUNNING;
        }
        if (startDelay != null && !killRequested) {
            try {
                Thread.sleep(startDelay);
            } catch (InterruptedException e) {
                if (!killRequested) {
                    me.interrupt(); // not ours: keep it for the body, as any thread would
                }
            }
        }
        LIVE.put(me, this);
        boolean events = Events.greenletEventsWanted();
        if (events) {
            Events.publish(new GreenletSpawned(this));
        }
        int outcome;
        T result = null;
        Throwable error = null;
        try {
            if (killRequested) {
                outcome = KILLED;
            } else {
                // Called here, not through a helper: every frame between the thread's base and
                // the body stays in the stack chunk of a parked greenlet, and an interpreted
                // frame (a greenlet that parked before the JIT compiled this) is ~100 bytes.
                if (runnableBody) {
                    ((Runnable) body).run();
                } else {
                    result = ((Callable<T>) body).call();
                }
                outcome = SUCCEEDED;
            }
        } catch (Throwable t) {
            outcome = killRequested ? KILLED : FAILED;
            error = outcome == FAILED ? t : null;
        }
        // Off the live set before anyone waiting can see it ready: joiners then find a finished tree.
        LIVE.remove(me);
        finish(outcome, result, error);
        runLinks();
        if (events) {
            Events.publish(new GreenletFinished(this));
        }
        Throwable uncaught = error;
        if (uncaught != null) {
            // The thread's uncaught-exception handler reports it, exactly as for a plain thread.
            throw Greenlet.<RuntimeException>sneaky(uncaught);
        }
    }

    private void finish(int outcome, T result, Throwable error) {
        synchronized (this) {
            value = result;
            exception = error;
            state = outcome;
            notifyAll();
        }
    }

    private void runLinks() {
        List<Consumer<? super Greenlet<T>>> toRun;
        synchronized (this) {
            toRun = links;
            links = null;
            linksRan = true;
        }
        if (toRun == null) {
            return;
        }
        for (Consumer<? super Greenlet<T>> link : toRun) {
            callLink(link);
        }
    }

    private void callLink(Consumer<? super Greenlet<T>> link) {
        try {
            link.accept(this);
        } catch (Throwable t) {
            Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), t);
        }
    }

    // ---- who and where ----

    /** The greenlet running the caller, or null when the caller is not a greenlet (say {@code main}). */
    public static Greenlet<?> current() {
        return LIVE.get(Thread.currentThread());
    }

    /** The greenlet running in {@code thread}, or null when it is not a greenlet or has finished. */
    public static Greenlet<?> of(Thread thread) {
        return LIVE.get(thread);
    }

    /** The greenlets whose body runs now, in no particular order. */
    public static List<Greenlet<?>> all() {
        return List.copyOf(LIVE.values());
    }

    /** The thread of this greenlet; null before it is started. */
    public Thread thread() {
        return thread;
    }

    /** The name of its thread (before start: the name it will get, if given). */
    public String name() {
        Thread t = thread;
        return t != null ? t.getName() : "(not started)";
    }

    // ---- state and results ----

    /** True once started, even if finished since. */
    public boolean started() {
        return thread != null;
    }

    /** True once the body has ended, whatever the way (gevent's {@code ready()} and {@code dead}). */
    public boolean ready() {
        return state >= SUCCEEDED;
    }

    /** True when it ended with a value or was killed; false while running or after an exception. */
    public boolean successful() {
        int s = state;
        return s == SUCCEEDED || s == KILLED;
    }

    /** True when it ended because it was killed. */
    public boolean killed() {
        return state == KILLED;
    }

    /** The value it returned, or null (not ready, failed, killed). */
    public synchronized T value() {
        return value;
    }

    /** The exception its body threw, or null (not ready, successful, killed). */
    public synchronized Throwable exception() {
        return exception;
    }

    /**
     * Waits until it is ready and returns its value, or rethrows the exception its body threw (the
     * same object).
     *
     * @throws InterruptedException when the caller is interrupted while waiting
     */
    public T get() throws Exception {
        join();
        return outcome();
    }

    /**
     * Like {@link #get()}, waiting at most {@code timeout}.
     *
     * @throws TimeoutException when it is not ready in time
     */
    public T get(Duration timeout) throws Exception {
        if (!join(timeout)) {
            throw new TimeoutException(this + " is not ready after " + timeout);
        }
        return outcome();
    }

    private synchronized T outcome() throws Exception {
        if (state == FAILED) {
            throw Greenlet.<Exception>sneaky(exception);
        }
        return value;
    }

    /** Waits until it is ready. */
    public void join() throws InterruptedException {
        synchronized (this) {
            while (state < SUCCEEDED) {
                wait();
            }
        }
    }

    /** Waits until it is ready or {@code timeout} passes; returns whether it is ready. */
    public boolean join(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (state < SUCCEEDED) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000L), 0);
            }
            return true;
        }
    }

    /**
     * Waits for every greenlet of {@code greenlets} until all are ready or {@code timeout} passes
     * (null: no limit), and returns those that are ready, in the given order (gevent's {@code joinall}).
     */
    public static List<Greenlet<?>> joinAll(Collection<? extends Greenlet<?>> greenlets, Duration timeout)
            throws InterruptedException {
        long deadline = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
        for (Greenlet<?> g : greenlets) {
            if (timeout == null) {
                g.join();
            } else if (!g.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                break;
            }
        }
        List<Greenlet<?>> ready = new ArrayList<>();
        for (Greenlet<?> g : greenlets) {
            if (g.ready()) {
                ready.add(g);
            }
        }
        return ready;
    }

    /** Waits for all of {@code greenlets} with no time limit; see {@link #joinAll(Collection, Duration)}. */
    public static List<Greenlet<?>> joinAll(Collection<? extends Greenlet<?>> greenlets) throws InterruptedException {
        return joinAll(greenlets, null);
    }

    // ---- links ----

    /** Calls {@code callback} with this greenlet once it is ready, whatever the outcome. */
    public void link(Consumer<? super Greenlet<T>> callback) {
        Objects.requireNonNull(callback, "callback");
        synchronized (this) {
            if (!linksRan) {
                if (links == null) {
                    links = new ArrayList<>(2);
                }
                links.add(callback);
                return;
            }
        }
        // Already finished: never run a callback on the caller's stack.
        Greenlet.spawn(() -> callLink(callback));
    }

    /** Calls {@code callback} with this greenlet once it is ready, only if it is successful. */
    public void linkValue(Consumer<? super Greenlet<T>> callback) {
        Objects.requireNonNull(callback, "callback");
        link(new FilteredLink<>(callback, true));
    }

    /** Calls {@code callback} with this greenlet once it is ready, only if its body threw. */
    public void linkException(Consumer<? super Greenlet<T>> callback) {
        Objects.requireNonNull(callback, "callback");
        link(new FilteredLink<>(callback, false));
    }

    /** Removes every link to {@code callback} not yet run; returns whether there was one. */
    public boolean unlink(Consumer<? super Greenlet<T>> callback) {
        synchronized (this) {
            return links != null && links.removeIf(l -> l == callback
                || (((Object) l) instanceof FilteredLink<?> f && f.callback == callback));
        }
    }

    private record FilteredLink<T>(Consumer<? super Greenlet<T>> callback, boolean onSuccess)
            implements Consumer<Greenlet<T>> {
        @Override
        public void accept(Greenlet<T> g) {
            if (g.successful() == onSuccess) {
                callback.accept(g);
            }
        }
    }

    // ---- kill ----

    /** Kills it and waits until it is ready. From the greenlet itself, throws {@link GreenletExit}. */
    public void kill() throws InterruptedException {
        if (killSelf()) {
            throw new GreenletExit();
        }
        killAsync();
        join();
    }

    /** Kills it and waits at most {@code timeout}; returns whether it is ready. */
    public boolean kill(Duration timeout) throws InterruptedException {
        if (killSelf()) {
            throw new GreenletExit();
        }
        killAsync();
        return join(timeout);
    }

    /** Asks it to stop (interrupts it) without waiting; a greenlet not yet running never runs its body. */
    public void killAsync() {
        if (ready()) {
            return;
        }
        killRequested = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    private boolean killSelf() {
        if (thread == Thread.currentThread() && !ready()) {
            killRequested = true;
            return true;
        }
        return false;
    }

    // ---- spawn tree ----

    /** The thread that created it (a greenlet's or a platform thread), or null if untracked or collected. */
    public Thread spawningThread() {
        return spawner == null ? null : spawner.get();
    }

    /** The greenlet that created it, while that greenlet still runs; null otherwise. */
    public Greenlet<?> spawningGreenlet() {
        Thread t = spawningThread();
        return t == null ? null : LIVE.get(t);
    }

    /**
     * Values shared by every greenlet of its spawn tree (gevent's {@code spawn_tree_locals}): the
     * greenlets spawned by a platform thread each start a tree, and their descendants share its
     * map. Empty and unmodifiable when {@code track_greenlet_tree} is off.
     */
    public Map<String, Object> spawnTreeLocals() {
        return tracked ? treeForChildren().locals() : Map.of();
    }

    /**
     * Where it was created, innermost frame first, without gevent4j's and the JDK's thread-making
     * frames. For a thread the application creates with {@code new Thread(...)}, that is the one
     * frame of that call site, which the agent recorded when it rewrote the call; otherwise the
     * stack captured when the greenlet was created. Empty when {@code track_greenlet_tree} is off.
     */
    public StackTraceElement[] spawningStack() {
        if (spawnSite == null) {
            return new StackTraceElement[0];
        }
        if (spawnSite instanceof String site) {
            StackTraceElement frame = siteFrame(site);
            return frame == null ? new StackTraceElement[0] : new StackTraceElement[] {frame};
        }
        StackTraceElement[] frames = ((SpawnSite) spawnSite).getStackTrace();
        int first = 0;
        while (first < frames.length && isSpawnMachinery(frames[first].getClassName())) {
            first++;
        }
        return Arrays.copyOfRange(frames, first, frames.length);
    }

    /**
     * The frame a known spawn site names. The agent writes it as {@code class;method;line;file}
     * (see {@code NewThreadRewriter}): names of classes and methods cannot contain ';' (JVMS
     * 4.2.2), so only the file name, last, may; an unknown line is negative, an unknown file empty.
     */
    private static StackTraceElement siteFrame(String site) {
        int a = site.indexOf(';');
        int b = a < 0 ? -1 : site.indexOf(';', a + 1);
        int c = b < 0 ? -1 : site.indexOf(';', b + 1);
        if (c < 0) {
            return null;
        }
        int line;
        try {
            line = Integer.parseInt(site, b + 1, c, 10);
        } catch (NumberFormatException e) {
            return null;
        }
        String file = site.substring(c + 1);
        return new StackTraceElement(site.substring(0, a), site.substring(a + 1, b), file.isEmpty() ? null : file,
            Math.max(line, -1));
    }

    private static boolean isSpawnMachinery(String className) {
        return className.equals(Greenlet.class.getName()) || className.equals(Group.class.getName())
            || className.equals(Pool.class.getName()) || className.startsWith("gevent4j.bootstrap.")
            || className.startsWith("gevent4j.hub.") || className.startsWith("java.lang.ThreadBuilders")
            || className.equals("java.lang.VirtualThread") || className.equals("java.lang.Thread")
            || className.startsWith("java.lang.Thread$");
    }

    @Override
    public String toString() {
        Thread t = thread;
        String id = t != null ? "#" + t.threadId() : "";
        String s = switch (state) {
            case NEW -> t == null ? "new" : "starting";
            case RUNNING -> "running";
            case SUCCEEDED -> "succeeded";
            case FAILED -> "failed";
            default -> "killed";
        };
        return "Greenlet[\"" + name() + "\"" + id + ", " + s + "]";
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }

    /** The locals one spawn tree shares; the map is made on first use. */
    private static final class SpawnTree {
        private volatile Map<String, Object> locals;

        Map<String, Object> locals() {
            Map<String, Object> m = locals;
            if (m == null) {
                synchronized (this) {
                    m = locals;
                    if (m == null) {
                        m = new ConcurrentHashMap<>();
                        locals = m;
                    }
                }
            }
            return m;
        }
    }

    /** The creation stack; its frames are only turned into text when someone asks. */
    private static final class SpawnSite extends Throwable {
        private static final long serialVersionUID = 1L;

        SpawnSite() {
            super("spawned here", null, false, true);
        }
    }
}

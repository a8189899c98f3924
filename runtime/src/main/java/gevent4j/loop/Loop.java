package gevent4j.loop;

/**
 * The event loop a Hub runs on: libev, libuv or the embedded jdk loop.
 *
 * <p>Threading: a loop belongs to the thread that created it. Every method MUST be called on that
 * thread except those marked {@link AnyThread}; other threads reach the loop only through
 * {@link AsyncWatcher#send()} and {@link #runCallbackThreadsafe(Runnable)}, which is built on it.
 *
 * <p>One iteration, on every loop, in this order (libuv's {@code uv_run}): update the time, run due
 * timers, run prepare hooks, poll for I/O (blocking only when no callback is pending) and dispatch
 * io watchers, run due timers, run check hooks, then run pending callbacks in FIFO order up to a
 * budget; what is left runs in the next iteration, which then does not block.
 */
@LoopThread
public interface Loop {

    /** Readable ({@code EV_READ}, {@code UV_READABLE}). */
    int READ = 1;
    /** Writable ({@code EV_WRITE}, {@code UV_WRITABLE}). */
    int WRITE = 2;
    /** Added to revents when the descriptor is being closed; the watcher was stopped. */
    int CLOSED = 0x100;

    /** Short name: {@code jdk}, {@code libev}, {@code libuv}. */
    String name();

    /** One line: library, version and backend. */
    String describe();

    /** The loop's cached monotonic time in nanoseconds, updated once per iteration. */
    long now();

    /**
     * The smallest timer delay this loop can honour: a shorter positive delay fires after about
     * this long instead (never earlier than asked). 1 ms for loops that block in
     * {@code epoll_wait}/{@code poll} or libuv, whose timeouts are whole milliseconds.
     */
    default long timerResolutionNanos() {
        return 1_000_000L;
    }

    /** Refreshes {@link #now()} from the clock. */
    void updateNow();

    IoWatcher io(int fd, int events, IoCallback callback);

    TimerWatcher timer(TimerCallback callback);

    /** Creates an async watcher; it is usually {@link Watcher#unref() unreferenced} by its owner. */
    AsyncWatcher async(Runnable callback);

    HookWatcher prepare(Runnable callback);

    HookWatcher check(Runnable callback);

    /** Queues a callback to run in this or the next iteration, after those already queued. */
    void runCallback(Runnable callback);

    /** Queues a callback from any thread and wakes the loop. */
    @AnyThread
    void runCallbackThreadsafe(Runnable callback);

    /**
     * How many callbacks the loop has started to run since it was created. The monitor thread
     * reads it to tell a Hub that switches greenlets from one stuck in a single callback.
     */
    @AnyThread
    long callbacksRun();

    /**
     * The descriptor is about to be closed: stop every watcher on it (calling each once with
     * {@link #CLOSED}) and drop it from the kernel, before its number can be reused. libuv
     * {@code abort()}s on a closed descriptor that it still polls; this is how no loop ever does.
     */
    void fdClosing(int fd);

    /**
     * A descriptor was closed by another thread (the loop may learn of it late): the loop must not
     * trust any cached kernel registration of that number any more.
     */
    @AnyThread
    void fdClosedElsewhere(int fd);

    /**
     * Runs the loop.
     *
     * @return true when referenced active watchers or callbacks remain
     */
    boolean run(RunMode mode);

    /**
     * One iteration that fires due timers and dispatches I/O, waiting at most {@code maxWaitNanos}
     * (negative: until a timer or an event), but runs no hooks and no callbacks. The Hub uses it
     * while a greenlet that cannot unmount (a class initialiser or a JNI upcall is on its stack)
     * holds the loop's thread: the events that will wake that greenlet still arrive, and the
     * callbacks they queue wait until the greenlet gives the thread back.
     */
    void runPinned(long maxWaitNanos);

    /** Where callback and watcher failures go; the handler must not throw. */
    void setErrorHandler(ErrorHandler handler);

    /** A multi-line dump of the loop state, for diagnostics. */
    String debug();

    /** Stops every watcher and releases the loop. */
    void destroy();

    /** Receives failures of callbacks run by the loop. */
    @FunctionalInterface
    interface ErrorHandler {
        void handleError(String context, Throwable error);
    }
}

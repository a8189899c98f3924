package gevent4j.loop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What every loop shares (gevent's {@code AbstractLoop}): the ordered callback queue with its
 * per-iteration budget, the thread-safe queue drained by one internal async watcher, and error
 * routing. Backends supply the watchers and the iteration itself.
 */
public abstract class AbstractLoop implements Loop {

    /**
     * Callbacks run per iteration before the loop polls again. Bounded so that a flood of ready
     * greenlets cannot starve I/O and timers; 1,024 measured well in the Hub prototype.
     */
    protected static final int CALLBACK_BUDGET = 1024;

    private static final VarHandle CALLBACKS_RUN;

    static {
        try {
            CALLBACKS_RUN = MethodHandles.lookup().findVarHandle(AbstractLoop.class, "callbacksRun", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Runnable[] callbacks = new Runnable[1024];
    /** Written by the loop thread only, read by the monitor thread (opaque: a plain store on x86). */
    private long callbacksRun;
    private int head;
    private int size;

    private final ConcurrentLinkedQueue<Runnable> threadsafeCallbacks = new ConcurrentLinkedQueue<>();
    private AsyncWatcher threadsafeWakeup;
    private final Thread owner = Thread.currentThread();
    /** Active, referenced watchers ({@link AbstractWatcher}): what keeps a DEFAULT run alive. */
    private int activeReferences;
    /** Set by {@link #destroyThreadsafeCallbacks()}; volatile because of runCallbackThreadsafe. */
    private volatile boolean destroyed;
    private ErrorHandler errorHandler = (context, error) -> {
        System.err.println("gevent4j: " + context + " failed with " + error);
        error.printStackTrace();
    };

    /** Backends call this at the end of their constructor, once they can create async watchers. */
    protected final void initThreadsafeCallbacks() {
        threadsafeWakeup = async(this::drainThreadsafeCallbacks);
        threadsafeWakeup.start();
        threadsafeWakeup.unref();
    }

    @Override
    public final void runCallback(Runnable callback) {
        checkNotDestroyed();
        if (size == callbacks.length) {
            growCallbacks();
        }
        callbacks[(head + size) & (callbacks.length - 1)] = callback;
        size++;
    }

    @Override
    @AnyThread
    public final void runCallbackThreadsafe(Runnable callback) {
        checkNotDestroyed();
        threadsafeCallbacks.offer(callback);
        threadsafeWakeup.send();
    }

    private void drainThreadsafeCallbacks() {
        Runnable r;
        while ((r = threadsafeCallbacks.poll()) != null) {
            runCallback(r);
        }
    }

    private void growCallbacks() {
        Runnable[] bigger = new Runnable[callbacks.length * 2];
        for (int i = 0; i < size; i++) {
            bigger[i] = callbacks[(head + i) & (callbacks.length - 1)];
        }
        callbacks = bigger;
        head = 0;
    }

    /** Active and referenced watchers, counted by {@link AbstractWatcher}. */
    protected final int activeReferences() {
        return activeReferences;
    }

    final void addActiveReferences(int delta) {
        activeReferences += delta;
    }

    /** True when callbacks are waiting: the next poll must not block. */
    protected final boolean hasCallbacks() {
        return size != 0;
    }

    /**
     * Runs queued callbacks in FIFO order, at most {@link #CALLBACK_BUDGET}; callbacks queued while
     * running wait for the next iteration only once the budget is used.
     */
    protected final void runCallbacks() {
        for (int budget = CALLBACK_BUDGET; budget > 0 && size != 0; budget--) {
            Runnable r = callbacks[head];
            callbacks[head] = null;
            head = (head + 1) & (callbacks.length - 1);
            size--;
            CALLBACKS_RUN.setOpaque(this, callbacksRun + 1);
            try {
                r.run();
            } catch (Throwable t) {
                handleError(r.toString(), t);
            }
        }
    }

    @Override
    @AnyThread
    public final long callbacksRun() {
        return (long) CALLBACKS_RUN.getOpaque(this);
    }

    protected final int pendingCallbackCount() {
        return size;
    }

    /** Routes a failure to the error handler; never throws. */
    protected final void handleError(String context, Throwable error) {
        if (error instanceof VirtualMachineError vme && !(error instanceof StackOverflowError)) {
            throw vme;
        }
        try {
            errorHandler.handleError(context, error);
        } catch (Throwable ignored) {
            // The handler must not throw; if it does there is nowhere left to report to.
        }
    }

    @Override
    public final void setErrorHandler(ErrorHandler handler) {
        this.errorHandler = handler;
    }

    protected final Thread owner() {
        return owner;
    }

    /** Backends call this first in {@code destroy()}; from then on the loop refuses to be used. */
    protected final void destroyThreadsafeCallbacks() {
        destroyed = true;
        if (threadsafeWakeup != null) {
            threadsafeWakeup.close();
        }
    }

    /**
     * Fix (conformance suite): callbacks queued after destroy() used to be accepted and never run.
     * Using a destroyed loop is a programmer error (STYLE rule 9c).
     */
    protected final void checkNotDestroyed() {
        if (destroyed) {
            throw new IllegalStateException("loop " + name() + " is destroyed and must not be used any more");
        }
    }

    @Override
    public String debug() {
        return name() + ": " + size + " callbacks pending, " + threadsafeCallbacks.size() + " queued from other threads";
    }
}

package gevent4j.hub;

import gevent4j.loop.TimerCallback;
import gevent4j.loop.TimerWatcher;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A timed park or timed wait of a greenlet, on a loop timer instead of the JDK's delayed-task
 * threads. The JDK only ever calls {@link #cancel(boolean)} on it (from the woken greenlet, so on
 * the Hub thread); the rest of {@link ScheduledFuture} is answered for completeness.
 */
final class HubTimer implements ScheduledFuture<Object>, TimerCallback {

    private static final int PENDING = 0;
    private static final int FIRED = 1;
    private static final int CANCELLED = 2;

    private final Hub hub;
    private final Runnable command;
    private final TimerWatcher watcher;
    private final long dueNanos;
    private volatile int state;

    HubTimer(Hub hub, Runnable command, long delayNanos) {
        this.hub = hub;
        this.command = command;
        this.watcher = hub.loop().timer(this);
        this.dueNanos = System.nanoTime() + delayNanos;
        // Loop timers count from the time cached at the start of the iteration (as libev's
        // ev_now); a greenlet that runs late in a busy iteration would then time out early.
        // The JDK promises timed waits never end before their time, so count from now.
        hub.loop().updateNow();
        watcher.start(delayNanos, 0);
    }

    @Override
    public void onTimer(TimerWatcher w) {
        watcher.close();
        if (state == PENDING) {
            state = FIRED;
            command.run();
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (state != PENDING) {
            return false;
        }
        state = CANCELLED;
        if (hub.inHubThread()) {
            watcher.close();
        } else {
            hub.loop().runCallbackThreadsafe(watcher::close);
        }
        return true;
    }

    @Override
    public boolean isCancelled() {
        return state == CANCELLED;
    }

    @Override
    public boolean isDone() {
        return state != PENDING;
    }

    @Override
    public Object get() throws InterruptedException, ExecutionException {
        throw new UnsupportedOperationException("a greenlet timeout has no result");
    }

    @Override
    public Object get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        throw new UnsupportedOperationException("a greenlet timeout has no result");
    }

    @Override
    public long getDelay(TimeUnit unit) {
        return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
        return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }
}

package gevent4j.loops.libuv;

import gevent4j.loop.AbstractWatcher;
import gevent4j.loop.TimerCallback;
import gevent4j.loop.TimerWatcher;
import gevent4j.loops.common.TimerHeap;

/**
 * A timer in the loop's Java heap ({@link TimerHeap}); it has no native handle of its own. The loop
 * keeps one {@code uv_timer_t} that only bounds how long the poll may block (see {@link LibuvLoop}).
 */
final class LibuvTimerWatcher extends AbstractWatcher<LibuvLoop> implements TimerWatcher {

    private final TimerCallback callback;
    /** Due time ({@link LibuvLoop#now()} nanoseconds) and start order, in the loop's timer heap. */
    final TimerHeap.Entry<LibuvTimerWatcher> entry = new TimerHeap.Entry<>(this);
    long repeat;

    LibuvTimerWatcher(LibuvLoop loop, TimerCallback callback) {
        super(loop);
        this.callback = callback;
    }

    @Override
    public void start(long delayNanos, long repeatNanos) {
        if (repeatNanos < 0) {
            throw new IllegalArgumentException("negative repeat " + repeatNanos);
        }
        if (isActive()) {
            loop.timers.remove(entry);
            deactivate();
        }
        activate();
        this.repeat = repeatNanos;
        loop.scheduleTimer(this, Math.max(0L, delayNanos));
    }

    @Override
    public void stop() {
        if (deactivate()) {
            loop.timers.remove(entry);
        }
    }

    /** Called by the loop when due: re-arms a repeating timer first, then runs the callback. */
    void fire() {
        if (repeat > 0) {
            loop.scheduleTimer(this, repeat);
        } else {
            deactivate();
        }
        callback.onTimer(this);
    }

    @Override
    public String toString() {
        return "timer(due=" + entry.due + ", repeat=" + repeat + (isActive() ? ", active" : "") + ")";
    }
}

package gevent4j.loops.libev;

import gevent4j.loop.AbstractWatcher;
import gevent4j.loop.TimerCallback;
import gevent4j.loop.TimerWatcher;
import gevent4j.loops.common.TimerHeap;

/**
 * A timer in the loop's Java heap ({@link TimerHeap}), ordered by due time and then by start
 * order. libev's own timer heap is not stable for equal due times and fires a zero-delay timer only
 * once its clock has moved past it, so timers are kept in Java and libev gets one {@code ev_timer},
 * armed for the earliest of them, that bounds how long {@code ev_run} may block.
 */
final class LibevTimerWatcher extends AbstractWatcher<LibevLoop> implements TimerWatcher {

    private final TimerCallback callback;
    /** Due time and start order, in the loop's timer heap. */
    final TimerHeap.Entry<LibevTimerWatcher> entry = new TimerHeap.Entry<>(this);
    long repeat;

    LibevTimerWatcher(LibevLoop loop, TimerCallback callback) {
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

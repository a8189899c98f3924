package gevent4j.loops.jdk;

import gevent4j.loop.AbstractWatcher;
import gevent4j.loop.TimerCallback;
import gevent4j.loops.common.TimerHeap;
import gevent4j.loop.TimerWatcher;

final class JdkTimerWatcher extends AbstractWatcher<JdkLoop> implements TimerWatcher {

    private final TimerCallback callback;
    /** Due time and start order, in the loop's timer heap. */
    final TimerHeap.Entry<JdkTimerWatcher> entry = new TimerHeap.Entry<>(this);
    long repeat;

    JdkTimerWatcher(JdkLoop loop, TimerCallback callback) {
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

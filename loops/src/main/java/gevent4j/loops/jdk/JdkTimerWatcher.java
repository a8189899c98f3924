package gevent4j.loops.jdk;

import gevent4j.loop.TimerCallback;
import gevent4j.loop.TimerWatcher;

final class JdkTimerWatcher extends JdkWatcher implements TimerWatcher {

    private final TimerCallback callback;
    /** Loop time at which the timer is due. */
    long due;
    long repeat;
    /** Start order: ties between equal due times fire first-started first. */
    long sequence;
    int heapIndex = -1;

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
            loop.timers.remove(this);
            deactivate();
        }
        activate();
        this.repeat = repeatNanos;
        loop.scheduleTimer(this, Math.max(0L, delayNanos));
    }

    @Override
    public void stop() {
        if (deactivate()) {
            loop.timers.remove(this);
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
        return "timer(due=" + due + ", repeat=" + repeat + (isActive() ? ", active" : "") + ")";
    }
}

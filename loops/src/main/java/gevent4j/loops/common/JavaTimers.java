package gevent4j.loops.common;

import gevent4j.loop.AbstractLoop;
import gevent4j.loop.TimerCallback;
import gevent4j.loop.TimerWatcher;

/**
 * The timers of one loop, kept in Java by every loop (see {@link TimerHeap} for why): due times in
 * the loop's nanosecond time, fired in (due, start order), a zero delay on the next pass. The loop
 * only asks when the earliest is due, to bound its wait, and fires them in its timer phases.
 */
public final class JavaTimers {

    /** What a loop does with a timer callback's failure (its error handler). */
    @FunctionalInterface
    public interface FailureHandler {
        void failed(TimerWatcher timer, Throwable error);
    }

    /** {@link #nextDue()} when no timer is active. */
    public static final long NONE = Long.MAX_VALUE;

    /**
     * A timer due this soon is not worth blocking for: arming the wake-up, blocking and being woken
     * cost about as much (a system call or two and a context switch, 5–20 us on a virtual machine),
     * and a Hub waking many sleepers in a row would fall further behind with every such cycle. The
     * loop polls without blocking instead, iteration after iteration, until the timer is due.
     */
    public static final long SHORT_WAIT_NANOS = 20_000L;

    private final AbstractLoop loop;
    private final TimerHeap<Watcher> heap = new TimerHeap<>();
    private long sequence;

    public JavaTimers(AbstractLoop loop) {
        this.loop = loop;
    }

    /** A new, inactive timer watcher of this loop. */
    public TimerWatcher newWatcher(TimerCallback callback) {
        return new Watcher(callback);
    }

    /**
     * Fires the timers due at {@code now}. Only timers started before this pass may fire in it, so
     * that a callback restarting its timer with a zero delay runs again in the next pass, not
     * forever now. Returns whether any fired.
     */
    public boolean runDue(long now, FailureHandler onFailure) {
        long passSequence = sequence;
        boolean fired = false;
        TimerHeap.Entry<Watcher> due;
        while ((due = heap.peek()) != null && due.due - now <= 0 && due.sequence < passSequence) {
            heap.remove(due);
            fired = true;
            try {
                due.timer.fire();
            } catch (Throwable e) {
                onFailure.failed(due.timer, e);
            }
        }
        return fired;
    }

    /** Loop time at which the earliest active timer is due, or {@link #NONE}. */
    public long nextDue() {
        TimerHeap.Entry<Watcher> next = heap.peek();
        return next == null ? NONE : next.due;
    }

    /**
     * Milliseconds a poll may block for the earliest timer, rounded up so that it never wakes
     * before it (poll timeouts are whole milliseconds): -1 with no timer, 0 when one is due or due
     * within {@link #SHORT_WAIT_NANOS}.
     */
    public int timeoutMillis(long now) {
        long next = nextDue();
        if (next == NONE) {
            return -1;
        }
        long nanos = next - now;
        if (nanos <= SHORT_WAIT_NANOS) {
            return 0;
        }
        return (int) Math.min((nanos + 999_999L) / 1_000_000L, Integer.MAX_VALUE);
    }

    public int size() {
        return heap.size();
    }

    /** Stops every timer (destroy). */
    public void stopAll() {
        TimerHeap.Entry<Watcher> t;
        while ((t = heap.peek()) != null) {
            t.timer.stop();
            heap.remove(t);
        }
    }

    private void schedule(Watcher t, long delayNanos) {
        t.entry.due = loop.now() + delayNanos;
        t.entry.sequence = sequence++;
        heap.add(t.entry);
    }

    /** A timer in this heap; it has no native watcher of its own. */
    private final class Watcher extends gevent4j.loop.AbstractWatcher<AbstractLoop> implements TimerWatcher {
        private final TimerCallback callback;
        final TimerHeap.Entry<Watcher> entry = new TimerHeap.Entry<>(this);
        private long repeat;

        Watcher(TimerCallback callback) {
            super(JavaTimers.this.loop);
            this.callback = callback;
        }

        @Override
        public void start(long delayNanos, long repeatNanos) {
            if (repeatNanos < 0) {
                throw new IllegalArgumentException("negative repeat " + repeatNanos);
            }
            if (isActive()) {
                heap.remove(entry);
                deactivate();
            }
            activate();
            this.repeat = repeatNanos;
            schedule(this, Math.max(0L, delayNanos));
        }

        @Override
        public void stop() {
            if (deactivate()) {
                heap.remove(entry);
            }
        }

        /** Re-arms a repeating timer first, then runs the callback. */
        void fire() {
            if (repeat > 0) {
                schedule(this, repeat);
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
}

package gevent4j.loop;

/**
 * A one-shot or repeating timer. Timers that are due in the same iteration fire in the order of
 * their due times, ties in the order they were started. A zero or negative delay fires on the next
 * iteration, on every loop.
 */
@LoopThread
public interface TimerWatcher extends Watcher {

    /**
     * Starts (or restarts) the timer.
     *
     * @param delayNanos time until the first firing; values of zero or less fire on the next iteration
     * @param repeatNanos period after the first firing, or 0 for a one-shot timer
     */
    void start(long delayNanos, long repeatNanos);
}

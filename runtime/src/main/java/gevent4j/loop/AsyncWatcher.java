package gevent4j.loop;

/**
 * Wakes the loop from another thread ({@code uv_async_t}, {@code ev_async}). Several sends before
 * the loop runs the callback are coalesced into one call. This is the only way any other thread
 * may touch a loop.
 */
public interface AsyncWatcher extends Watcher {

    @LoopThread
    void start();

    /** Schedules the callback on the loop thread and wakes the loop if it is blocked. */
    @AnyThread
    void send();
}

package gevent4j.loop;

/** Called on the loop thread when an io watcher's descriptor is ready. */
@FunctionalInterface
public interface IoCallback {

    /**
     * @param revents ready events: {@link Loop#READ}, {@link Loop#WRITE}; errors and hang-ups are
     *     reported as both, and {@link Loop#CLOSED} is added when the descriptor is being closed
     *     (the watcher has then already been stopped).
     */
    void onIo(IoWatcher watcher, int revents);
}

package gevent4j.loop;

/**
 * Readiness of one file descriptor. Any number of io watchers may watch the same descriptor with
 * different event masks, on every loop (libuv allows one poll handle per fd: its loop multiplexes).
 * Readiness is level-triggered on every loop: a watcher whose descriptor stays ready is called on
 * every iteration until it is stopped or the condition is consumed.
 */
@LoopThread
public interface IoWatcher extends Watcher {

    /** Retargets an inactive watcher ({@code ev_io_set}). */
    void set(int fd, int events);

    /**
     * Starts watching. Returns 0, or a negative errno when the descriptor cannot be watched
     * (for example {@code -EPERM} for a regular file on epoll); the watcher then stays inactive.
     */
    int start();

    int fd();

    int events();
}

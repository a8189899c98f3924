package gevent4j.loops.libev;

import gevent4j.loop.AbstractWatcher;
import gevent4j.loop.IoCallback;
import gevent4j.loop.IoWatcher;
import gevent4j.loop.Loop;

/**
 * Readiness of one descriptor. The watchers of a descriptor share one native {@code ev_io} whose
 * mask is the union of theirs ({@link LibevFd}); changes reach libev just before the next poll.
 */
final class LibevIoWatcher extends AbstractWatcher<LibevLoop> implements IoWatcher {

    private final IoCallback callback;
    private int fd;
    private int events;
    /** Index in its descriptor's watcher array while active. */
    int slot = -1;
    /** Iteration of the last dispatch, so that one poll result calls a watcher at most once. */
    long dispatchedIn = -1;

    LibevIoWatcher(LibevLoop loop, int fd, int events, IoCallback callback) {
        super(loop);
        this.callback = callback;
        set(fd, events);
    }

    @Override
    public void set(int fd, int events) {
        if (isActive()) {
            throw new IllegalStateException("set() on an active io watcher (fd " + this.fd + ")");
        }
        if (fd < 0) {
            throw new IllegalArgumentException("negative fd " + fd); // libev asserts on it
        }
        this.fd = fd;
        this.events = events & (Loop.READ | Loop.WRITE); // libev asserts on any other bit
    }

    @Override
    public int start() {
        if (!activate()) {
            return 0;
        }
        int err = loop.fds.add(this);
        if (err != 0) {
            deactivate();
        }
        return err;
    }

    @Override
    public void stop() {
        if (deactivate()) {
            loop.fds.remove(this);
        }
    }

    /** Stops the watcher because its descriptor is closing; the loop already forgot it. */
    void detach() {
        deactivate();
        slot = -1;
    }

    void invoke(int revents) {
        callback.onIo(this, revents);
    }

    @Override
    public int fd() {
        return fd;
    }

    @Override
    public int events() {
        return events;
    }

    @Override
    public String toString() {
        return "io(fd=" + fd + ", events=" + events + (isActive() ? ", active" : "") + ")";
    }
}

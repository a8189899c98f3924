package gevent4j.loops.libuv;

import gevent4j.loop.AbstractWatcher;
import gevent4j.loop.IoCallback;
import gevent4j.loop.IoWatcher;

/** An io watcher: one of possibly several sharing their descriptor's registration and {@code uv_poll_t} ({@link PolledFd}). */
final class LibuvIoWatcher extends AbstractWatcher<LibuvLoop> implements IoWatcher {

    private final IoCallback callback;
    private int fd;
    private int events;
    /** Index in its descriptor's watcher array while active. */
    int slot = -1;
    /** Iteration of the last dispatch, so that one poll result calls a watcher at most once. */
    long dispatchedIn = -1;

    LibuvIoWatcher(LibuvLoop loop, int fd, int events, IoCallback callback) {
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
            throw new IllegalArgumentException("negative fd " + fd);
        }
        this.fd = fd;
        this.events = events;
    }

    @Override
    public int start() {
        if (!activate()) {
            return 0;
        }
        int err = loop.polls.add(this);
        if (err != 0) {
            deactivate();
        }
        return err;
    }

    @Override
    public void stop() {
        if (deactivate()) {
            loop.polls.remove(this);
        }
    }

    /** Stops the watcher because its descriptor is closing or failed; its poll entry is already gone. */
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

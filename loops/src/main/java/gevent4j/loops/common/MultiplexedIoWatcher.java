package gevent4j.loops.common;

import gevent4j.loop.AbstractLoop;
import gevent4j.loop.AbstractWatcher;
import gevent4j.loop.IoCallback;
import gevent4j.loop.IoWatcher;

/**
 * An io watcher of any loop: one of possibly several watching the same descriptor, which the
 * loop's {@link Registry} multiplexes over one kernel registration (the jdk loop's epoll entry,
 * libev's {@code ev_io}, the libuv loop's entry in its nested epoll set). The registry keeps the watcher's
 * {@link #slot} in the descriptor's watcher array and its {@link #dispatchedIn} iteration.
 */
public final class MultiplexedIoWatcher extends AbstractWatcher<AbstractLoop> implements IoWatcher {

    /** The loop's table of descriptors: where a started watcher is recorded. */
    public interface Registry {
        /** Records an active watcher; 0, or a negative errno when the descriptor cannot be watched. */
        int add(MultiplexedIoWatcher watcher);

        void remove(MultiplexedIoWatcher watcher);
    }

    private final Registry registry;
    private final IoCallback callback;
    private final int eventMask;
    private int fd;
    private int events;
    /** Index in its descriptor's watcher array while active. */
    public int slot = -1;
    /** Iteration of the last dispatch, so that one poll result calls a watcher at most once. */
    public long dispatchedIn = -1;

    /**
     * @param eventMask the event bits this loop keeps from {@link #set} (libev asserts on any bit
     *     but read and write); -1 keeps them all
     */
    public MultiplexedIoWatcher(AbstractLoop loop, Registry registry, int eventMask, int fd, int events,
            IoCallback callback) {
        super(loop);
        this.registry = registry;
        this.eventMask = eventMask;
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
        this.events = events & eventMask;
    }

    @Override
    public int start() {
        if (!activate()) {
            return 0;
        }
        int err = registry.add(this);
        if (err != 0) {
            deactivate();
        }
        return err;
    }

    @Override
    public void stop() {
        if (deactivate()) {
            registry.remove(this);
        }
    }

    /** Stops the watcher because its descriptor is closing or failed; the registry already forgot it. */
    public void detach() {
        deactivate();
        slot = -1;
    }

    public void invoke(int revents) {
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

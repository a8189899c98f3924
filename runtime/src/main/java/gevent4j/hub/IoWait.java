package gevent4j.hub;

import gevent4j.loop.IoCallback;
import gevent4j.loop.IoWatcher;
import java.util.concurrent.locks.LockSupport;

/**
 * One greenlet waiting for one descriptor to become ready. Pooled by the Hub: a wait allocates
 * nothing once the pool is warm. The greenlet parks with this object as its blocker, which is how
 * {@link Hub#failIoWait} finds the wait of a greenlet without any per-wait bookkeeping.
 */
final class IoWait implements IoCallback {

    final IoWatcher watcher;
    private Thread waiter;
    /** Set by {@link Hub#failIoWait} (a {@code gevent4j.Timeout}): what the wait must throw. */
    java.util.function.Supplier<? extends java.io.IOException> failure;

    IoWait(Hub hub) {
        this.watcher = hub.loop().io(0, 0, this);
    }

    void arm(Thread greenlet, int fd, int events) {
        this.waiter = greenlet;
        watcher.set(fd, events);
    }

    void disarm() {
        watcher.stop();
        waiter = null;
        failure = null;
    }

    boolean isWaiter(Thread t) {
        return waiter == t;
    }

    @Override
    public void onIo(IoWatcher w, int revents) {
        w.stop();
        Thread t = waiter;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }
}

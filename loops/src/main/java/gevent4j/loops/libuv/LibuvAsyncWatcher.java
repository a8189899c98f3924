package gevent4j.loops.libuv;

import gevent4j.loop.AbstractWatcher;
import gevent4j.loop.AnyThread;
import gevent4j.loop.AsyncWatcher;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An async watcher. All of a loop's async watchers share the loop's one {@code uv_async_t}
 * ({@link LibuvLoop#wakeup()}): a watcher only has a pending flag, so that closing one never frees
 * native memory that another thread may be sending to.
 */
final class LibuvAsyncWatcher extends AbstractWatcher<LibuvLoop> implements AsyncWatcher {

    private final Runnable callback;
    /** Set by send(), cleared by the loop before it runs the callback: sends coalesce. */
    final AtomicBoolean pending = new AtomicBoolean();

    LibuvAsyncWatcher(LibuvLoop loop, Runnable callback) {
        super(loop);
        this.callback = callback;
    }

    @Override
    public void start() {
        if (activate()) {
            loop.asyncs.add(this);
        }
    }

    @Override
    public void stop() {
        if (deactivate()) {
            loop.asyncs.remove(this);
        }
    }

    @Override
    @AnyThread
    public void send() {
        loop.checkUsable();
        if (!pending.getAndSet(true)) {
            loop.wakeup();
        }
    }

    void invoke() {
        callback.run();
    }

    @Override
    public String toString() {
        return "async(" + (isActive() ? "active" : "inactive") + (pending.get() ? ", pending" : "") + ")";
    }
}

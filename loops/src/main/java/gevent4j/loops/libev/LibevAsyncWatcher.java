package gevent4j.loops.libev;

import gevent4j.loop.AbstractWatcher;
import gevent4j.loop.AnyThread;
import gevent4j.loop.AsyncWatcher;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wakes the loop from another thread. All async watchers of a loop share its one native
 * {@code ev_async}: {@link #send()} sets this watcher's flag and, when it was not already set,
 * calls {@code ev_async_send} on the shared one, whose callback then runs every started watcher
 * whose flag is set. Sends coalesce as libev's own {@code sent} flag would, and no per-watcher
 * native memory exists that a late {@code send()} on another thread could reach after a close.
 */
final class LibevAsyncWatcher extends AbstractWatcher<LibevLoop> implements AsyncWatcher {

    private final Runnable callback;
    /** Set by send(), cleared by the loop before it runs the callback: sends coalesce. */
    final AtomicBoolean pending = new AtomicBoolean();

    LibevAsyncWatcher(LibevLoop loop, Runnable callback) {
        super(loop);
        this.callback = callback;
    }

    @Override
    public void start() {
        if (activate()) {
            pending.set(false); // as ev_async_start clears sent: a send before start is forgotten
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
        return "async(" + callback + (isActive() ? ", active" : "") + (pending.get() ? ", pending" : "") + ")";
    }
}

package gevent4j.loops.jdk;

import gevent4j.loop.AbstractWatcher;
import gevent4j.loop.AnyThread;
import gevent4j.loop.AsyncWatcher;
import java.util.concurrent.atomic.AtomicBoolean;

final class JdkAsyncWatcher extends AbstractWatcher<JdkLoop> implements AsyncWatcher {

    private final Runnable callback;
    /** Set by send(), cleared by the loop before it runs the callback: sends coalesce. */
    final AtomicBoolean pending = new AtomicBoolean();

    JdkAsyncWatcher(JdkLoop loop, Runnable callback) {
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
        loop.checkUsable(); // fix: a send() after destroy() used to be dropped silently
        if (!pending.getAndSet(true)) {
            loop.wakeupForAsync();
        }
    }

    void invoke() {
        callback.run();
    }
}

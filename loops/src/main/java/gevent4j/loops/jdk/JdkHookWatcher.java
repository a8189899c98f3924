package gevent4j.loops.jdk;

import gevent4j.loop.AbstractWatcher;
import gevent4j.loop.HookWatcher;
import java.util.List;

/** A prepare or check hook; which one is decided by the list it joins. */
final class JdkHookWatcher extends AbstractWatcher<JdkLoop> implements HookWatcher {

    private final Runnable callback;
    private final List<JdkHookWatcher> phase;

    JdkHookWatcher(JdkLoop loop, List<JdkHookWatcher> phase, Runnable callback) {
        super(loop);
        this.phase = phase;
        this.callback = callback;
    }

    @Override
    public void start() {
        if (activate()) {
            phase.add(this);
        }
    }

    @Override
    public void stop() {
        if (deactivate()) {
            phase.remove(this);
        }
    }

    void invoke() {
        callback.run();
    }
}

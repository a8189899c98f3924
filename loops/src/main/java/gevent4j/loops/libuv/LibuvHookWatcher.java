package gevent4j.loops.libuv;

import gevent4j.loop.AbstractWatcher;
import gevent4j.loop.HookWatcher;
import java.util.List;

/**
 * A prepare or check hook; which one is decided by the list it joins. Hooks are run by the loop in
 * Java, in start order, rather than as {@code uv_prepare_t}/{@code uv_check_t}: libuv runs those
 * newest first ({@code QUEUE_INSERT_HEAD} in src/unix/loop-watcher.c), while the SPI runs hooks in
 * the order they were started, and {@link LibuvLoop#runPinned(long)} must run none, which a
 * {@code uv_run} cannot skip.
 */
final class LibuvHookWatcher extends AbstractWatcher<LibuvLoop> implements HookWatcher {

    private final Runnable callback;
    private final List<LibuvHookWatcher> phase;
    private final String kind;

    LibuvHookWatcher(LibuvLoop loop, List<LibuvHookWatcher> phase, String kind, Runnable callback) {
        super(loop);
        this.phase = phase;
        this.kind = kind;
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

    @Override
    public String toString() {
        return kind + "(" + (isActive() ? "active" : "inactive") + ")";
    }
}

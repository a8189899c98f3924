package gevent4j.loops.libev;

import gevent4j.loop.AbstractWatcher;
import gevent4j.loop.HookWatcher;
import java.util.List;

/**
 * A prepare or check hook; which one is decided by the list it joins. Hooks run in Java around
 * {@code ev_run} rather than as libev {@code ev_prepare}/{@code ev_check} watchers: libev invokes
 * pending watchers last-queued-first within a priority, so its check watchers would run before the
 * iteration's io callbacks (ev.c: "queue check watchers, to be executed first"), each hook would
 * cost an upcall per iteration, and {@link gevent4j.loop.Loop#runPinned(long)} would have to mute
 * them. Run from Java, they keep the order the SPI documents at no native cost.
 */
final class LibevHookWatcher extends AbstractWatcher<LibevLoop> implements HookWatcher {

    private final Runnable callback;
    private final List<LibevHookWatcher> phase;
    private final String kind;

    LibevHookWatcher(LibevLoop loop, List<LibevHookWatcher> phase, String kind, Runnable callback) {
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
        return kind + "(" + callback + (isActive() ? ", active" : "") + ")";
    }
}

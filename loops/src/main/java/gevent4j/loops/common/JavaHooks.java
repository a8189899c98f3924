package gevent4j.loops.common;

import gevent4j.loop.AbstractLoop;
import gevent4j.loop.AbstractWatcher;
import gevent4j.loop.HookWatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * One phase of hooks (prepare or check) of a loop, run in Java by every loop, in start order.
 * Not as native {@code ev_prepare}/{@code uv_prepare_t}: libev queues check watchers before the
 * iteration's io callbacks, libuv runs its hooks newest first, each native hook would cost an
 * upcall per iteration, and {@code runPinned} must run none, which {@code ev_run}/{@code uv_run}
 * cannot skip.
 */
public final class JavaHooks {

    /** What a loop does with a hook's failure (its error handler). */
    @FunctionalInterface
    public interface FailureHandler {
        void failed(HookWatcher hook, Throwable error);
    }

    private final AbstractLoop loop;
    private final String kind;
    private final List<Hook> active = new ArrayList<>();
    /** Reused snapshot: hooks may start or stop hooks of the same phase while it runs. */
    private Hook[] scratch = new Hook[8];

    /** @param kind {@code prepare} or {@code check}, for diagnostics */
    public JavaHooks(AbstractLoop loop, String kind) {
        this.loop = loop;
        this.kind = kind;
    }

    /** A new, inactive hook of this phase. */
    public HookWatcher newWatcher(Runnable callback) {
        return new Hook(callback);
    }

    /**
     * Runs the hooks active now, in start order; a hook stopped by an earlier one in the same pass
     * does not run, one started during the pass waits for the next.
     */
    public void run(FailureHandler onFailure) {
        int n = active.size();
        if (n == 0) {
            return;
        }
        if (scratch.length < n) {
            scratch = new Hook[n * 2];
        }
        Hook[] snapshot = active.toArray(scratch);
        for (int i = 0; i < n; i++) {
            Hook h = snapshot[i];
            snapshot[i] = null;
            if (h.isActive()) {
                try {
                    h.callback.run();
                } catch (Throwable t) {
                    onFailure.failed(h, t);
                }
            }
        }
    }

    public int size() {
        return active.size();
    }

    /** Stops every hook (destroy). */
    public void stopAll() {
        while (!active.isEmpty()) {
            active.get(active.size() - 1).stop();
        }
    }

    /** One line per active hook, for {@code debug()}. */
    public void describe(StringBuilder out) {
        for (Hook h : active) {
            out.append("\n  ").append(h);
        }
    }

    private final class Hook extends AbstractWatcher<AbstractLoop> implements HookWatcher {
        private final Runnable callback;

        Hook(Runnable callback) {
            super(JavaHooks.this.loop);
            this.callback = callback;
        }

        @Override
        public void start() {
            if (activate()) {
                active.add(this);
            }
        }

        @Override
        public void stop() {
            if (deactivate()) {
                active.remove(this);
            }
        }

        @Override
        public String toString() {
            return kind + "(" + callback + (isActive() ? ", active" : "") + ")";
        }
    }
}

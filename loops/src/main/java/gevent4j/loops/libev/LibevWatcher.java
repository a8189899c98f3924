package gevent4j.loops.libev;

import gevent4j.loop.Watcher;

/**
 * Start/stop/ref bookkeeping shared by the libev loop's watchers. References are counted in Java,
 * never with {@code ev_ref}/{@code ev_unref}: libev's own count must stay above zero for
 * {@code EVRUN_ONCE} to block (the Hub sleeps with only its unreferenced wakeup active), so the
 * loop decides liveness itself from {@link LibevLoop#activeReferences}.
 */
abstract class LibevWatcher implements Watcher {

    final LibevLoop loop;
    private boolean active;
    private boolean referenced = true;
    private boolean closed;

    LibevWatcher(LibevLoop loop) {
        this.loop = loop;
    }

    @Override
    public final boolean isActive() {
        return active;
    }

    /** Marks the watcher active; returns false when it already was. */
    final boolean activate() {
        if (closed) {
            throw new IllegalStateException("watcher is closed: " + this);
        }
        loop.checkUsable();
        if (active) {
            return false;
        }
        active = true;
        if (referenced) {
            loop.activeReferences++;
        }
        return true;
    }

    /** Marks the watcher inactive; returns false when it already was. */
    final boolean deactivate() {
        if (!active) {
            return false;
        }
        active = false;
        if (referenced) {
            loop.activeReferences--;
        }
        return true;
    }

    /**
     * Stops and closes. The watcher's share of native memory (a descriptor's {@code ev_io}, the
     * loop's one {@code ev_timer} and {@code ev_async}) belongs to the loop and is freed by
     * {@link LibevLoop#destroy()}, after libev has let go of it.
     */
    @Override
    public final void close() {
        if (!closed) {
            stop();
            closed = true;
        }
    }

    @Override
    public final void ref() {
        if (!referenced) {
            referenced = true;
            if (active) {
                loop.activeReferences++;
            }
        }
    }

    @Override
    public final void unref() {
        if (referenced) {
            referenced = false;
            if (active) {
                loop.activeReferences--;
            }
        }
    }

    @Override
    public final boolean hasRef() {
        return referenced;
    }
}

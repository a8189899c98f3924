package gevent4j.loops.libuv;

import gevent4j.loop.Watcher;

/**
 * Start/stop/ref bookkeeping shared by the libuv loop's watchers. References are counted in Java
 * ({@link LibuvLoop#activeReferences}), not with {@code uv_ref}/{@code uv_unref}: the loop decides
 * itself whether an iteration may block (see {@link LibuvLoop}).
 */
abstract class LibuvWatcher implements Watcher {

    final LibuvLoop loop;
    private boolean active;
    private boolean referenced = true;
    private boolean closed;

    LibuvWatcher(LibuvLoop loop) {
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

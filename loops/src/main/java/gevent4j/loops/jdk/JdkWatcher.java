package gevent4j.loops.jdk;

import gevent4j.loop.Watcher;

/** Start/stop/ref bookkeeping shared by the jdk loop's watchers. */
abstract class JdkWatcher implements Watcher {

    final JdkLoop loop;
    private boolean active;
    private boolean referenced = true;
    private boolean closed;

    JdkWatcher(JdkLoop loop) {
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
        loop.checkUsable(); // fix: starting a watcher of a destroyed loop used to succeed silently
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

    final boolean isClosed() {
        return closed;
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

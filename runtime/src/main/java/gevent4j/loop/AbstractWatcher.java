package gevent4j.loop;

/**
 * The start/stop/ref/close bookkeeping every loop's watchers share (libuv's handle lifecycle).
 *
 * <p>References are counted in Java, in {@link AbstractLoop#activeReferences()}, never with
 * {@code ev_ref}/{@code uv_ref}: a loop decides itself whether an iteration may block and whether
 * {@link RunMode#DEFAULT} has anything left to run for (libev's own count must stay above zero
 * for {@code EVRUN_ONCE} to block while the Hub sleeps with only its unreferenced wakeup active).
 *
 * @param <L> the loop this watcher belongs to
 */
@LoopThread
public abstract class AbstractWatcher<L extends AbstractLoop> implements Watcher {

    protected final L loop;
    private boolean active;
    private boolean referenced = true;
    private boolean closed;

    protected AbstractWatcher(L loop) {
        this.loop = loop;
    }

    @Override
    public final boolean isActive() {
        return active;
    }

    /** Marks the watcher active; returns false when it already was. */
    protected final boolean activate() {
        if (closed) {
            throw new IllegalStateException("watcher is closed: " + this);
        }
        loop.checkNotDestroyed(); // starting a watcher of a destroyed loop must not succeed silently
        if (active) {
            return false;
        }
        active = true;
        if (referenced) {
            loop.addActiveReferences(1);
        }
        return true;
    }

    /** Marks the watcher inactive; returns false when it already was. */
    protected final boolean deactivate() {
        if (!active) {
            return false;
        }
        active = false;
        if (referenced) {
            loop.addActiveReferences(-1);
        }
        return true;
    }

    /**
     * Stops and closes. Native memory a watcher shares with its loop (a descriptor's native
     * watcher, the loop's one native timer and wakeup) belongs to the loop, which frees it once the
     * library has let go of it.
     */
    @Override
    public final void close() {
        if (!closed) {
            stop();
            closed = true;
        }
    }

    protected final boolean isClosed() {
        return closed;
    }

    @Override
    public final void ref() {
        if (!referenced) {
            referenced = true;
            if (active) {
                loop.addActiveReferences(1);
            }
        }
    }

    @Override
    public final void unref() {
        if (referenced) {
            referenced = false;
            if (active) {
                loop.addActiveReferences(-1);
            }
        }
    }

    @Override
    public final boolean hasRef() {
        return referenced;
    }
}

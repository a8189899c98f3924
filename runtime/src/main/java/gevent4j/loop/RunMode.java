package gevent4j.loop;

/** How long {@link Loop#run(RunMode)} runs, as in libuv. */
public enum RunMode {
    /** Until no referenced active watcher and no callback is left. */
    DEFAULT,
    /** One iteration, blocking for I/O when nothing else is pending. */
    ONCE,
    /** One iteration without blocking. */
    NOWAIT
}

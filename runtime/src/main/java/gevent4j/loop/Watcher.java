package gevent4j.loop;

/**
 * A long-lived loop handle, with libuv's lifecycle: created inactive, then {@code start} /
 * {@code stop} any number of times, then {@link #close()} once. A closed watcher is never used
 * again; its native memory (if any) is released by the loop after the current iteration.
 *
 * <p>Only active and referenced watchers keep {@link Loop#run(RunMode)} in
 * {@link RunMode#DEFAULT} mode alive ({@code uv_ref}/{@code uv_unref}).
 */
@LoopThread
public interface Watcher {

    /** True between start and stop. */
    boolean isActive();

    /** Stops the watcher; a no-op when it is not active. */
    void stop();

    /** Stops and releases the watcher. Idempotent. */
    void close();

    /** Makes an active watcher keep the loop alive (the default). */
    void ref();

    /** Makes an active watcher not keep the loop alive. */
    void unref();

    boolean hasRef();
}

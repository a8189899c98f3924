package gevent4j.loop;

/**
 * A prepare hook (runs just before the loop polls for I/O) or a check hook (runs just after).
 * Available on every loop: libuv has both, libev has both, the jdk loop runs them itself.
 */
@LoopThread
public interface HookWatcher extends Watcher {
    void start();
}

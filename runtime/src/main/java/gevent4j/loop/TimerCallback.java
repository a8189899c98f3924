package gevent4j.loop;

/** Called on the loop thread when a timer fires. */
@FunctionalInterface
public interface TimerCallback {
    void onTimer(TimerWatcher watcher);
}

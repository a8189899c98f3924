package gevent4j.hub;

/**
 * Keeps the JVM alive while non-daemon greenlets live, as it would for platform threads. Virtual
 * threads are always daemon threads, so the JVM alone would exit as soon as {@code main} returns.
 * While at least one non-daemon greenlet is started and not finished, one parked non-daemon
 * platform thread, {@code gevent4j-keepalive}, exists; it ends when the last one does, and the JVM
 * then exits exactly when it would have.
 */
final class Lifetime {

    private final Object lock = new Object();
    private int live;
    private Thread keeper;

    void retain() {
        synchronized (lock) {
            live++;
            if (keeper == null) {
                keeper = new Thread(null, this::keepAlive, "gevent4j-keepalive", 0, false);
                keeper.setDaemon(false);
                keeper.start();
            }
        }
    }

    void release() {
        synchronized (lock) {
            if (--live == 0) {
                lock.notifyAll();
            }
        }
    }

    int live() {
        synchronized (lock) {
            return live;
        }
    }

    private void keepAlive() {
        synchronized (lock) {
            while (live > 0) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    // Only the JVM's shutdown interrupts this thread; keep the count honest.
                }
            }
            keeper = null;
        }
    }
}

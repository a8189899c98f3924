package gevent4j.hub;

/** What the runtime tracks for a greenlet that replaced an application's platform thread. */
final class GreenletState {

    /** The application's unstarted thread object whose {@code run()} the greenlet runs. */
    final Thread platform;
    /** The emulated daemon flag: virtual threads are always daemon, platform threads are not. */
    volatile boolean daemon;
    volatile boolean started;
    /** True while this greenlet holds a {@link Lifetime} reference. */
    boolean retained;

    GreenletState(Thread platform, boolean daemon) {
        this.platform = platform;
        this.daemon = daemon;
    }
}

package gevent4j.loops.jdk;

import gevent4j.loop.Loop;
import gevent4j.loop.LoopOptions;
import gevent4j.loop.LoopProvider;

/** The {@code jdk} loop: always available on Linux with a JDK that has libnio's epoll natives. */
public final class JdkLoopProvider implements LoopProvider {

    @Override
    public String name() {
        return "jdk";
    }

    @Override
    public boolean isAvailable() {
        return EpollNatives.unavailabilityCause() == null;
    }

    @Override
    public Throwable unavailabilityCause() {
        return EpollNatives.unavailabilityCause();
    }

    @Override
    public String describe() {
        return "jdk: embedded, epoll through the JDK's own natives (JDK " + Runtime.version() + "), no native library needed";
    }

    @Override
    public Loop create(LoopOptions options) {
        ensureAvailability();
        return new JdkLoop();
    }
}

package gevent4j.loops.libuv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gevent4j.loop.AbstractLoopConformanceTest;
import gevent4j.loop.Loop;
import org.junit.jupiter.api.Test;

/**
 * The loop conformance suite on libuv without a timerfd, as where the kernel refuses one: the driver
 * uv_timer_t then bounds every wait in libuv's milliseconds. Fails, never skips, when libuv is missing.
 */
class LibuvMillisecondTimersLoopTest extends AbstractLoopConformanceTest {

    @Override
    protected Loop newLoop() {
        return new LibuvLoopProvider().createWithMillisecondTimers();
    }

    @Test
    void timersAreMillisecondsAndSaySo() {
        assertEquals(1_000_000L, loop.timerResolutionNanos(), loop.debug());
    }
}

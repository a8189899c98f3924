package gevent4j.loops.libev;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gevent4j.loop.AbstractLoopConformanceTest;
import gevent4j.loop.Loop;
import gevent4j.loop.LoopOptions;
import org.junit.jupiter.api.Test;

/**
 * The loop conformance suite on libev without a timerfd, as where the kernel refuses one: an
 * ev_timer then bounds every wait in libev's milliseconds. Fails, never skips, when libev is missing.
 */
class LibevMillisecondTimersLoopTest extends AbstractLoopConformanceTest {

    @Override
    protected Loop newLoop() {
        return new LibevLoopProvider().createWithMillisecondTimers(LoopOptions.defaults());
    }

    @Test
    void timersAreMillisecondsAndSaySo() {
        assertEquals(1_000_000L, loop.timerResolutionNanos(), loop.debug());
    }
}

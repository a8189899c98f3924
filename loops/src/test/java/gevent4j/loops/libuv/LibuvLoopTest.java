package gevent4j.loops.libuv;

import gevent4j.loop.AbstractLoopConformanceTest;
import gevent4j.loop.Loop;
import gevent4j.loop.LoopOptions;

/**
 * The loop conformance suite against the libuv loop. Fails, never skips, when libuv is missing:
 * {@code create} then throws with the probe's message (install libuv1).
 */
class LibuvLoopTest extends AbstractLoopConformanceTest {

    @Override
    protected Loop newLoop() {
        return new LibuvLoopProvider().create(LoopOptions.defaults());
    }
}

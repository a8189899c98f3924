package gevent4j.loops.jdk;

import gevent4j.loop.AbstractLoopConformanceTest;
import gevent4j.loop.Loop;
import gevent4j.loop.LoopOptions;

/** The loop conformance suite against the embedded jdk (epoll) loop. */
class JdkLoopConformanceTest extends AbstractLoopConformanceTest {

    @Override
    protected Loop newLoop() {
        return new JdkLoopProvider().create(LoopOptions.defaults());
    }
}

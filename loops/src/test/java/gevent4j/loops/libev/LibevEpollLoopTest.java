package gevent4j.loops.libev;

/** The loop conformance suite on libev's epoll backend. */
class LibevEpollLoopTest extends AbstractLibevLoopTest {

    @Override
    protected String backend() {
        return "epoll";
    }
}

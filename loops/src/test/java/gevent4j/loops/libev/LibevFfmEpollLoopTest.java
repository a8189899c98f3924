package gevent4j.loops.libev;

/** {@link LibevEpollLoopTest} (the conformance suite and libev's own tests) on the FFM binding: {@code libev-ffm}. */
class LibevFfmEpollLoopTest extends LibevEpollLoopTest {

    @Override
    protected LibevProviderBase provider() {
        return new LibevFfmLoopProvider();
    }
}

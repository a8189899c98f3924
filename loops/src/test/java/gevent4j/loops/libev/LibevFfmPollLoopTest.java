package gevent4j.loops.libev;

/** {@link LibevPollLoopTest} (the conformance suite and libev's own tests) on the FFM binding: {@code libev-ffm}. */
class LibevFfmPollLoopTest extends LibevPollLoopTest {

    @Override
    protected LibevProviderBase provider() {
        return new LibevFfmLoopProvider();
    }
}

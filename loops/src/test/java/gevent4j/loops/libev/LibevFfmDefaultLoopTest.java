package gevent4j.loops.libev;

/** {@link LibevDefaultLoopTest} (the conformance suite and libev's own tests) on the FFM binding: {@code libev-ffm}. */
class LibevFfmDefaultLoopTest extends LibevDefaultLoopTest {

    @Override
    protected LibevProviderBase provider() {
        return new LibevFfmLoopProvider();
    }
}

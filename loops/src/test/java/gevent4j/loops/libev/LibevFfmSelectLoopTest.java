package gevent4j.loops.libev;

/** {@link LibevSelectLoopTest} (the conformance suite and libev's own tests) on the FFM binding: {@code libev-ffm}. */
class LibevFfmSelectLoopTest extends LibevSelectLoopTest {

    @Override
    protected LibevProviderBase provider() {
        return new LibevFfmLoopProvider();
    }
}

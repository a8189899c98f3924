package gevent4j.loops.libuv;

/** {@link LibuvLoopTest} (the conformance suite and libuv's own tests) on the FFM binding: {@code libuv-ffm}. */
class LibuvFfmLoopTest extends LibuvLoopTest {

    @Override
    protected LibuvProviderBase provider() {
        return new LibuvFfmLoopProvider();
    }

    @Override
    protected LibuvProbe probe() {
        return LibuvProbe.ffm();
    }
}

package gevent4j.loops.libuv;

/** {@link LibuvErrorThenCloseInOneBatchTest} on the FFM binding: {@code libuv-ffm}. */
class LibuvFfmErrorThenCloseInOneBatchTest extends LibuvErrorThenCloseInOneBatchTest {

    @Override
    LibuvProviderBase provider() {
        return new LibuvFfmLoopProvider();
    }
}

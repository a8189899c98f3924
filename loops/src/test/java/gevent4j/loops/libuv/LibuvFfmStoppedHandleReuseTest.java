package gevent4j.loops.libuv;

/** {@link LibuvStoppedHandleReuseTest} on the FFM binding: {@code libuv-ffm}. */
class LibuvFfmStoppedHandleReuseTest extends LibuvStoppedHandleReuseTest {

    @Override
    LibuvProviderBase provider() {
        return new LibuvFfmLoopProvider();
    }
}

package gevent4j.loops.libuv;

/** {@link LibuvLostTimerTest} on the FFM binding: {@code libuv-ffm}. */
class LibuvFfmLostTimerTest extends LibuvLostTimerTest {

    @Override
    LibuvProviderBase provider() {
        return new LibuvFfmLoopProvider();
    }
}

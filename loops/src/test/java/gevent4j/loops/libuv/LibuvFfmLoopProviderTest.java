package gevent4j.loops.libuv;

/** {@link LibuvLoopProviderTest} on the FFM binding ({@code libuv-ffm}): the same probe, messages and checks. */
class LibuvFfmLoopProviderTest extends LibuvLoopProviderTest {

    @Override
    LibuvProviderBase provider() {
        return new LibuvFfmLoopProvider();
    }

    @Override
    LibuvProviderBase provider(LibuvProbe probe) {
        return new LibuvFfmLoopProvider(probe);
    }

    @Override
    LibuvProbe probe() {
        return LibuvProbe.ffm();
    }

    @Override
    LibuvProbe.Binder binder() {
        return LibuvFfm::load;
    }
}

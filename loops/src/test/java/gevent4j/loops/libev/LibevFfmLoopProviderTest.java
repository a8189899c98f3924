package gevent4j.loops.libev;

/** {@link LibevLoopProviderTest} on the FFM binding ({@code libev-ffm}): the same probe, messages and settings. */
class LibevFfmLoopProviderTest extends LibevLoopProviderTest {

    @Override
    LibevProviderBase provider() {
        return new LibevFfmLoopProvider();
    }

    @Override
    LibevProviderBase provider(LibevLayout.Table table) {
        return new LibevFfmLoopProvider(table);
    }

    @Override
    LibevLibrary.Probe defaultProbe() {
        return LibevLibrary.defaultFfmProbe();
    }

    @Override
    LibevLibrary.Binder binder() {
        return LibevFfm::load;
    }
}

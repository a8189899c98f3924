package gevent4j.loops.libev;

/**
 * The {@code libev} loop: libev 4 ({@code libev.so.4}, Debian's {@code libev4}) through JNR-FFI
 * ({@link LibevJnr}). The same loop bound through java.lang.foreign is {@link LibevFfmLoopProvider}.
 */
public final class LibevLoopProvider extends LibevProviderBase {

    public LibevLoopProvider() {
        super("libev", LibevLibrary.defaultProbe());
    }

    /** For tests: a provider probed against another layout table. */
    LibevLoopProvider(LibevLayout.Table table) {
        super("libev", LibevLibrary.probe(LibevJnr::load, table));
    }
}

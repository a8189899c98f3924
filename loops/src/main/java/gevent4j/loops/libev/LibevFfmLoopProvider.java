package gevent4j.loops.libev;

/**
 * The {@code libev-ffm} loop: the {@code libev} loop with libev bound through java.lang.foreign
 * ({@link LibevFfm}) instead of JNR-FFI: FFM downcalls, upcall stubs for the watcher callbacks
 * and plain memory access, for a cheaper crossing per event. Same library, same checks, same loop
 * logic and settings ({@code libev_backend}).
 */
public final class LibevFfmLoopProvider extends LibevProviderBase {

    public LibevFfmLoopProvider() {
        super("libev-ffm", LibevLibrary.defaultFfmProbe());
    }

    /** For tests: a provider probed against another layout table. */
    LibevFfmLoopProvider(LibevLayout.Table table) {
        super("libev-ffm", LibevLibrary.probe(LibevFfm::load, table));
    }
}

package gevent4j.loops.libuv;

/**
 * The {@code libuv-ffm} loop: the {@code libuv} loop with libuv bound through java.lang.foreign
 * ({@link LibuvFfm}) instead of JNR-FFI: FFM downcalls, upcall stubs for its callbacks and plain
 * memory access, for a cheaper crossing per event. Same library, same checks, same loop.
 */
public final class LibuvFfmLoopProvider extends LibuvProviderBase {

    public LibuvFfmLoopProvider() {
        super("libuv-ffm", LibuvProbe.ffm());
    }

    /** For tests: a provider with another probe. */
    LibuvFfmLoopProvider(LibuvProbe probe) {
        super("libuv-ffm", probe);
    }
}

package gevent4j.loops.libuv;

/**
 * The {@code libuv} loop: the system's libuv 1.x ({@code libuv.so.1}, Debian/Ubuntu package
 * {@code libuv1}) through JNR-FFI ({@link LibuvJnr}). The same loop bound through
 * java.lang.foreign is {@link LibuvFfmLoopProvider}.
 */
public final class LibuvLoopProvider extends LibuvProviderBase {

    public LibuvLoopProvider() {
        super("libuv", LibuvProbe.get());
    }

    /** For tests: a provider with another probe. */
    LibuvLoopProvider(LibuvProbe probe) {
        super("libuv", probe);
    }
}

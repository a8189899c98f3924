package gevent4j.loops.ffi;

/** A native library a loop needs is missing, too old, or does not match the layout we verified. */
public final class NativeLibraryUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    public NativeLibraryUnavailableException(String message) {
        super(message);
    }

    public NativeLibraryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

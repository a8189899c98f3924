package gevent4j.loop;

/** A native loop call failed; carries the errno and its symbolic name (libuv's uv_err_name). */
public final class LoopException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int errno;

    public LoopException(String operation, int errno, String errName) {
        super(operation + " failed: " + errName + " (errno " + errno + ")");
        this.errno = errno;
    }

    public LoopException(String message, Throwable cause) {
        super(message, cause);
        this.errno = 0;
    }

    public int errno() {
        return errno;
    }
}

package gevent4j.loops.libuv;

/**
 * A {@code uv_poll_t} and the placeholder descriptor it was initialised on. libuv keys its poll
 * handles by descriptor number and registers that number in its epoll set itself, aborting when the
 * kernel refuses; a placeholder is a descriptor of the loop's own (a duplicate of its quiet pipe's
 * read end) that nobody else closes, so libuv's registrations cannot fail. The application's
 * descriptor is registered by {@link PollTable} with the placeholder's number as epoll data, which
 * is how libuv finds this handle when it becomes ready. Handles are pooled and bound to whichever
 * descriptor needs one; the handle's {@code data} names that descriptor (-1 while unbound).
 */
final class LibuvPollHandle {

    /** The {@code uv_poll_t*}. */
    final long address;
    /** The descriptor number libuv knows this handle by. */
    final int placeholder;
    /** Started with every event; false once libuv stopped it on an error ({@code UV_EBADF}). */
    boolean armed;

    LibuvPollHandle(long address, int placeholder) {
        this.address = address;
        this.placeholder = placeholder;
    }
}

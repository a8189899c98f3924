package gevent4j.hub;

import gevent4j.bootstrap.Bridge;
import gevent4j.internal.JdkInternals;
import java.io.FileInputStream;
import java.io.IOException;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The {@code fileobject} setting for {@link FileInputStream} reads in greenlets: the first entry
 * of the preference list that applies to the descriptor decides.
 * <ul>
 *   <li>{@code posix}: pipes, ttys, sockets and stdin (anything epoll accepts) wait for
 *   readability on the Hub's loop, then the JDK reads, which no longer blocks.</li>
 *   <li>{@code thread}: the read runs on the threadpool while the greenlet parks (regular files,
 *   which no readiness API can wait for).</li>
 *   <li>{@code block}: the read blocks the Hub as it would without the agent.</li>
 * </ul>
 * Unlike gevent's FileObjectPosix, the descriptor is never switched to non-blocking mode: stdin
 * and ttys are shared with the parent shell and other processes, which would all see
 * {@code O_NONBLOCK} too. Waiting for readability first gives the same result while this process
 * is the descriptor's only reader.
 */
final class FileReads {

    private static final BooleanSupplier ALWAYS_OPEN = () -> true;
    private static final int JDK_POLLIN = 0x1;

    private final Hub hub;
    private final java.util.concurrent.Executor pool;
    private final List<String> preference;

    FileReads(Hub hub, java.util.concurrent.Executor pool, List<String> preference) {
        this.hub = hub;
        this.pool = pool;
        this.preference = List.copyOf(preference);
    }

    long read(FileInputStream stream, byte[] buffer, int offset, int length, boolean single) throws IOException {
        if (!single && length == 0) {
            return Bridge.NOT_HANDLED;
        }
        boolean regular = JdkInternals.isRegularFile(stream);
        for (String mode : preference) {
            switch (mode) {
                case "posix" -> {
                    if (!regular) {
                        java.io.FileDescriptor descriptor = stream.getFD();
                        int fd = JdkInternals.fdVal(descriptor);
                        // Data already there: read at once, without a round trip through the loop.
                        if (fd >= 0 && (JdkInternals.pollNow(descriptor, JDK_POLLIN) != 0
                                || hub.poll(fd, JDK_POLLIN, 0, ALWAYS_OPEN))) {
                            return Bridge.NOT_HANDLED;
                        }
                    }
                }
                case "thread" -> {
                    return Bridge.encodeRead(offloadRead(stream, buffer, offset, length, single));
                }
                default -> {
                    return Bridge.NOT_HANDLED; // block
                }
            }
        }
        return Bridge.NOT_HANDLED;
    }

    private int offloadRead(FileInputStream stream, byte[] buffer, int offset, int length, boolean single)
            throws IOException {
        return Offload.io(hub, pool, () -> single ? stream.read() : stream.read(buffer, offset, length));
    }
}

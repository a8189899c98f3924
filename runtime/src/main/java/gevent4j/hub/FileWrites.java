package gevent4j.hub;

import gevent4j.internal.JdkInternals;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The {@code fileobject} setting for {@link FileOutputStream} writes in greenlets (and, for
 * {@code thread}, {@code FileChannel} reads and writes), like
 * {@link FileReads}: {@code posix} waits on the loop while a pipe or tty is full and then lets the
 * JDK write, {@code thread} writes regular files on the threadpool, {@code block} writes at once.
 *
 * <p>Standard output and standard error are always written directly: they carry the
 * application's log, their writes are short and seldom block, and offloading every line to the
 * threadpool would cost each {@code println} a round trip between threads.
 */
final class FileWrites {

    private static final BooleanSupplier ALWAYS_OPEN = () -> true;
    private static final int JDK_POLLOUT = 0x4;
    private static final int LAST_STANDARD_DESCRIPTOR = 2;

    private final Hub hub;
    private final java.util.concurrent.Executor pool;
    private final List<String> preference;
    private final boolean threadMode;

    FileWrites(Hub hub, java.util.concurrent.Executor pool, List<String> preference) {
        this.hub = hub;
        this.pool = pool;
        this.preference = List.copyOf(preference);
        this.threadMode = preference.contains("thread");
    }

    /** FileChannel I/O goes to the threadpool when {@code thread} is listed. */
    boolean offloads() {
        return threadMode;
    }

    /** Runs a FileChannel call on the threadpool; returns its encoded result. */
    long offload(java.util.concurrent.Callable<Long> io) throws IOException {
        long result = Offload.io(hub, pool, io);
        return gevent4j.bootstrap.Bridge.encodeRead((int) result);
    }

    /** Returns true when the write was done here; false lets the JDK write. */
    boolean write(FileOutputStream stream, byte[] buffer, int offset, int length, int singleByte, boolean single)
            throws IOException {
        FileDescriptor descriptor = stream.getFD();
        int fd = JdkInternals.fdVal(descriptor);
        if (fd <= LAST_STANDARD_DESCRIPTOR || (!single && length == 0)) {
            return false;
        }
        boolean regular = JdkInternals.isRegularFile(descriptor);
        for (String mode : preference) {
            switch (mode) {
                case "posix" -> {
                    if (!regular && (JdkInternals.pollNow(descriptor, JDK_POLLOUT) != 0
                            || hub.poll(fd, JDK_POLLOUT, 0, ALWAYS_OPEN))) {
                        return false;
                    }
                }
                case "thread" -> {
                    offload(stream, buffer, offset, length, singleByte, single);
                    return true;
                }
                default -> {
                    return false; // block
                }
            }
        }
        return false;
    }

    private void offload(FileOutputStream stream, byte[] buffer, int offset, int length, int singleByte, boolean single)
            throws IOException {
        Offload.io(hub, pool, () -> {
            if (single) {
                stream.write(singleByte);
            } else {
                stream.write(buffer, offset, length);
            }
            return null;
        });
    }
}

package gevent4j.hub;

import gevent4j.loop.LoopThread;
import java.util.Arrays;

/**
 * The sockets whose last read by a greenlet came back short, and so most likely emptied the
 * kernel's receive buffer (Netty's adaptive-read rule: a read that did not fill the buffer
 * drained the socket). The JDK's blocking socket read ({@code NioSocketImpl.implRead}) always
 * tries a read before it parks; in a request/response exchange the next request has usually not
 * arrived yet, so that read costs a system call that returns {@code EAGAIN}. For a socket marked
 * here, the patched {@code tryRead} answers "would block" without the system call and the
 * greenlet parks on the Hub's loop at once; the loop reports the socket readable and the read
 * after the wait is a real one.
 *
 * <p>Why a wrong guess is harmless: the skip consumes and loses no data, it only parks the
 * greenlet. The loops register descriptors level-triggered, so if data is already waiting the
 * loop reports the socket on its next iteration: a wrong guess costs one loop iteration, never a
 * hang. Every caller of {@code tryRead} in JDK 25 parks when it answers "would block"
 * ({@code implRead}'s untimed loop, {@code timedRead}'s loop); the only other outcomes are
 * exceptions the JDK throws in the same state anyway: the socket was closed ({@code endRead}
 * throws "Socket closed"), or a timed read's deadline passed before it parked
 * ({@code SocketTimeoutException}, with the data left for the next read). A {@code Socket} has no
 * non-blocking mode the application could see, so "would block" never reaches it; channels
 * ({@code SocketChannelImpl}) read through other code and are not affected.
 *
 * <p>A flag is cleared whenever a greenlet waits for the descriptor to become readable (whatever
 * ends the wait) and when the descriptor is closed, so a reused number starts clean. One bit per
 * descriptor number, touched on the Hub thread only: no locks, no allocation per read.
 */
@LoopThread
final class DrainedReads {

    private long[] bits = new long[16];

    /** True when the last read of {@code fd} came back short and nothing has cleared it since. */
    boolean isDrained(int fd) {
        int word = fd >>> 6;
        return fd >= 0 && word < bits.length && (bits[word] & (1L << fd)) != 0;
    }

    /**
     * Records a read of {@code requested} bytes that returned {@code result}: short (including
     * 0) marks the socket drained; a full buffer (more may be waiting), end of stream, "would
     * block" and errors clear it.
     */
    void afterRead(int fd, int requested, int result) {
        if (result >= 0 && result < requested) {
            mark(fd);
        } else {
            clear(fd);
        }
    }

    void clear(int fd) {
        int word = fd >>> 6;
        if (fd >= 0 && word < bits.length) {
            bits[word] &= ~(1L << fd);
        }
    }

    private void mark(int fd) {
        if (fd < 0) {
            return;
        }
        int word = fd >>> 6;
        if (word >= bits.length) {
            bits = Arrays.copyOf(bits, Math.max(word + 1, bits.length * 2));
        }
        bits[word] |= 1L << fd;
    }
}

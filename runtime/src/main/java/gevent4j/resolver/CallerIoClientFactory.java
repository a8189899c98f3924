package gevent4j.resolver;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Message;
import org.xbill.DNS.io.IoClientFactory;
import org.xbill.DNS.io.TcpIoClient;
import org.xbill.DNS.io.UdpIoClient;

/**
 * dnsjava's I/O, done on the calling thread with the JDK's blocking sockets: it returns an already
 * completed future. In a greenlet the agent turns each wait of those sockets into a wait on the
 * Hub's loop, so many lookups overlap on one thread and no resolver thread exists; on a platform
 * thread the wait simply blocks that thread. dnsjava's default client would instead use a shared
 * selector thread of its own.
 *
 * <p>Each query gets its own socket (a fresh random source port, and no shared state between
 * greenlets). The wait is the smaller of dnsjava's per-query timeout and what is left of the
 * lookup's {@link Deadline}; when the deadline has passed the query fails with
 * {@link DeadlineExceeded} without being sent.
 */
final class CallerIoClientFactory implements IoClientFactory, UdpIoClient, TcpIoClient {

    /** The lookup's deadline ({@link System#nanoTime()}), set by the resolver around one lookup. */
    static final ThreadLocal<long[]> DEADLINE = new ThreadLocal<>();

    /** The lookup's total time ran out ({@code resolver_timeout}). */
    static final class DeadlineExceeded extends SocketTimeoutException {
        DeadlineExceeded() {
            super("resolver_timeout expired");
        }
    }

    @Override
    public TcpIoClient createOrGetTcpClient() {
        return this;
    }

    @Override
    public UdpIoClient createOrGetUdpClient() {
        return this;
    }

    @Override
    public CompletableFuture<byte[]> sendAndReceiveUdp(InetSocketAddress local, InetSocketAddress remote, Message query,
            byte[] data, int max, Duration timeout) {
        try (DatagramSocket socket = local == null ? new DatagramSocket() : new DatagramSocket(local)) {
            long end = System.nanoTime() + timeout.toNanos();
            socket.connect(remote);
            socket.setSoTimeout(waitMillis(end));
            socket.send(new DatagramPacket(data, data.length));
            int id = query.getHeader().getID();
            byte[] buffer = new byte[max];
            while (true) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                // A late answer to an earlier query on a reused port, or a spoofing attempt: keep
                // waiting for ours, as glibc does, instead of failing the query.
                if (packet.getLength() >= 2 && ((buffer[0] & 0xff) << 8 | buffer[1] & 0xff) == id) {
                    byte[] answer = new byte[packet.getLength()];
                    System.arraycopy(buffer, 0, answer, 0, answer.length);
                    return CompletableFuture.completedFuture(answer);
                }
                socket.setSoTimeout(waitMillis(end));
            }
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<byte[]> sendAndReceiveTcp(InetSocketAddress local, InetSocketAddress remote, Message query,
            byte[] data, Duration timeout) {
        try (Socket socket = new Socket()) {
            if (local != null) {
                socket.bind(local);
            }
            long end = System.nanoTime() + timeout.toNanos();
            socket.connect(remote, waitMillis(end));
            socket.setSoTimeout(waitMillis(end));
            OutputStream out = socket.getOutputStream();
            byte[] framed = new byte[data.length + 2];
            framed[0] = (byte) (data.length >>> 8);
            framed[1] = (byte) data.length;
            System.arraycopy(data, 0, framed, 2, data.length);
            out.write(framed);
            InputStream in = socket.getInputStream();
            DataInputStream din = new DataInputStream(in);
            int length = din.readUnsignedShort();
            byte[] answer = new byte[length];
            socket.setSoTimeout(waitMillis(end));
            din.readFully(answer);
            return CompletableFuture.completedFuture(answer);
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The wait for the next socket operation: until {@code end} (this query's own timeout), cut to
     * the lookup's deadline; at least 1 ms, since 0 would mean forever.
     */
    private static int waitMillis(long end) throws SocketTimeoutException {
        long now = System.nanoTime();
        long[] deadline = DEADLINE.get();
        if (deadline != null && deadline[0] - now <= 0) {
            throw new DeadlineExceeded();
        }
        long left = deadline == null ? end - now : Math.min(end - now, deadline[0] - now);
        if (left <= 0) {
            throw new SocketTimeoutException("no answer in time");
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left)));
    }
}

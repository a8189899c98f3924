package gevent4j.resolver;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Message;
import org.xbill.DNS.io.IoClientFactory;
import org.xbill.DNS.io.TcpIoClient;
import org.xbill.DNS.io.UdpIoClient;

/**
 * dnsjava's I/O, done on the calling thread: no resolver thread and no dnsjava selector thread.
 * UDP queries go through the {@link QueryExchange} of the running lookup ({@link #CURRENT}): they
 * return at once, and the lookup's thread collects the answers in {@link QueryExchange#await}, so
 * the queries of one lookup (A and AAAA) are in flight together. A TCP query (after a truncated
 * answer) is done before it returns, with the JDK's blocking {@link Socket} of its own; in a
 * greenlet the agent turns its waits into waits on the Hub's loop. Either waits at most dnsjava's
 * per-query timeout cut to what is left of the lookup's deadline; when that has passed the query
 * fails with {@link QueryExchange.DeadlineExceeded} without being sent.
 */
final class CallerIoClientFactory implements IoClientFactory, UdpIoClient, TcpIoClient {

    /** The exchange of the lookup running on this thread, set by the resolver around it. */
    static final ThreadLocal<QueryExchange> CURRENT = new ThreadLocal<>();

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
        QueryExchange exchange = CURRENT.get();
        if (exchange != null) {
            return exchange.send(local, remote, data, max, timeout.toNanos());
        }
        // Outside a lookup of this package's resolver: an exchange of this query alone.
        try (QueryExchange alone = new OwnSocketsExchange(-1)) {
            CompletableFuture<byte[]> answer = alone.send(local, remote, data, max, timeout.toNanos());
            alone.await(answer);
            return answer;
        }
    }

    @Override
    public CompletableFuture<byte[]> sendAndReceiveTcp(InetSocketAddress local, InetSocketAddress remote, Message query,
            byte[] data, Duration timeout) {
        // A pending interrupt would close the socket of a greenlet at its first wait; the lookup
        // ignores it, as the JDK's does, and leaves it set (one that comes during the query, in a
        // greenlet, still closes the socket and fails the query).
        boolean interrupted = Thread.interrupted();
        try (Socket socket = new Socket()) {
            if (local != null) {
                socket.bind(local);
            }
            long end = System.nanoTime() + timeout.toNanos();
            QueryExchange lookup = CURRENT.get();
            socket.connect(remote, QueryExchange.waitMillis(lookup, end));
            socket.setSoTimeout(QueryExchange.waitMillis(lookup, end));
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
            socket.setSoTimeout(QueryExchange.waitMillis(lookup, end));
            din.readFully(answer);
            return CompletableFuture.completedFuture(answer);
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

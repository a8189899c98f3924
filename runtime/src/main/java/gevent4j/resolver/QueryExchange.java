package gevent4j.resolver;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The UDP queries of one lookup, sent and answered on the lookup's own thread, the way glibc's
 * {@code send_dg} does it: the queries of the lookup that go to one server share one connected
 * socket (so A and AAAA leave together and are answered together, and an ICMP "port unreachable"
 * fails them at once), each answer is matched to its query by ID and question (anything else that
 * arrives is ignored, as glibc ignores it), and each query waits at most its own timeout, cut to the
 * lookup's deadline ({@code resolver_timeout}).
 *
 * <p>{@link #send} returns a future that is completed later by {@link #await}, which the lookup's
 * thread calls with the futures it wants; completing one runs dnsjava's continuation (the direct
 * executor), which may send the next query (a retry, the next search domain, a CNAME target): it
 * joins the queries {@code await} serves. In a greenlet every wait of these sockets is a wait on the
 * Hub's loop; a platform thread blocks; either way no other thread takes part.
 *
 * <p>The usual case, every pending query on one server, waits in a blocking receive with a timeout.
 * Only when queries of one lookup wait on two servers at once (one family moved on to the next
 * server while the other still waits on the first) does the lookup open a {@link Selector} and
 * switch its sockets to non-blocking for the rest of the lookup.
 *
 * <p>Not thread-safe: one lookup, one thread. {@link #close} closes every socket and drops the
 * queries still pending: their futures are never completed, since nothing waits for them any more
 * and a completion would only make dnsjava retry.
 */
final class QueryExchange implements AutoCloseable {

    /** The lookup's total time ran out ({@code resolver_timeout}). */
    static final class DeadlineExceeded extends SocketTimeoutException {
        DeadlineExceeded() {
            super("resolver_timeout expired");
        }
    }

    private static final int HEADER_LENGTH = 12;

    /** The lookup's deadline ({@link System#nanoTime()}); meaningful when {@link #hasDeadline}. */
    private final long deadline;
    private final boolean hasDeadline;
    /** One connected socket per server this lookup has asked. */
    private final ArrayList<Server> servers = new ArrayList<>(2);
    private final ArrayList<Query> pending = new ArrayList<>(2);
    /** Receives every answer; as large as the largest answer a pending query accepts. */
    private byte[] buffer = new byte[0];
    /** Only once queries wait on two servers at the same time. */
    private Selector selector;
    private boolean closed;

    /** A lookup with {@code timeoutNanos} in all, or none when negative. */
    QueryExchange(long timeoutNanos) {
        this.hasDeadline = timeoutNanos >= 0;
        this.deadline = hasDeadline ? System.nanoTime() + timeoutNanos : 0;
    }

    /** One server's socket, connected to it. */
    private static final class Server {
        final InetSocketAddress remote;
        final InetSocketAddress local;
        final DatagramChannel channel;
        int waiting;

        Server(InetSocketAddress remote, InetSocketAddress local, DatagramChannel channel) {
            this.remote = remote;
            this.local = local;
            this.channel = channel;
        }
    }

    /** A query sent and not answered yet. */
    private record Query(Server server, byte[] message, long end, CompletableFuture<byte[]> answer) {
    }

    /**
     * Sends {@code message} (a query with one question) to {@code remote} and returns the future of
     * its answer (at most {@code max} bytes), completed by {@link #await}: with the answer, or with
     * the {@link IOException} that ended it (a {@link SocketTimeoutException} after
     * {@code timeoutNanos}, or {@link DeadlineExceeded}).
     */
    CompletableFuture<byte[]> send(InetSocketAddress local, InetSocketAddress remote, byte[] message, int max,
            long timeoutNanos) {
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        Server server = null;
        try {
            long now = System.nanoTime();
            if (closed) {
                throw new IOException("the lookup has ended");
            }
            if (hasDeadline && deadline - now <= 0) {
                throw new DeadlineExceeded();
            }
            if (message.length < HEADER_LENGTH) {
                throw new IOException("DNS query of " + message.length + " bytes");
            }
            server = server(local, remote);
            if (server.channel.write(ByteBuffer.wrap(message)) != message.length) {
                // Only a non-blocking socket (the selector case) can refuse a datagram.
                throw new IOException("the socket's send buffer is full");
            }
            if (buffer.length < max) {
                buffer = new byte[max];
            }
            pending.add(new Query(server, message, now + timeoutNanos, answer));
            server.waiting++;
        } catch (IOException | RuntimeException e) {
            if (server != null && !server.channel.isOpen()) {
                servers.remove(server);
            }
            answer.completeExceptionally(e);
        }
        return answer;
    }

    /**
     * Runs the exchange until every future of {@code wanted} is complete: receives the answers,
     * ends the queries that time out, and serves the queries the completions send.
     *
     * @throws IllegalStateException if a wanted future waits for no query of this exchange
     */
    void await(CompletableFuture<?>... wanted) {
        await(() -> allDone(wanted));
    }

    /**
     * Runs the exchange until {@code finished} says so: receives the answers, ends the queries
     * that time out, and serves the queries the completions send.
     *
     * @throws IllegalStateException if it is not finished while no query of this exchange is pending
     */
    void await(BooleanSupplier finished) {
        while (!finished.getAsBoolean()) {
            if (pending.isEmpty()) {
                throw new IllegalStateException("a DNS lookup waits for an answer no query of it will bring");
            }
            long until = pending.get(0).end;
            for (int i = 1; i < pending.size(); i++) {
                until = Math.min(until, pending.get(i).end);
            }
            if (hasDeadline) {
                until = Math.min(until, deadline);
            }
            // At least 1 ms even when the time is up: an answer that arrived while this thread was
            // busy (a TCP retry, other greenlets) is taken before its query is given up.
            long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime()));
            boolean received = selector == null && onOneServer() ? receiveBlocking(millis) : receiveSelecting(millis);
            if (!received) {
                expire(System.nanoTime());
            }
        }
    }

    static boolean allDone(CompletableFuture<?>[] futures) {
        for (CompletableFuture<?> f : futures) {
            if (!f.isDone()) {
                return false;
            }
        }
        return true;
    }

    private boolean onOneServer() {
        Server first = pending.get(0).server;
        for (int i = 1; i < pending.size(); i++) {
            if (pending.get(i).server != first) {
                return false;
            }
        }
        return true;
    }

    /** One datagram of the only server with pending queries, waiting at most {@code millis}. */
    private boolean receiveBlocking(long millis) {
        Server server = pending.get(0).server;
        DatagramSocket socket = server.channel.socket();
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        try {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, millis));
            socket.receive(packet);
        } catch (SocketTimeoutException nothing) {
            return false;
        } catch (IOException e) {
            fail(server, e);
            return true;
        }
        dispatch(server, packet.getLength());
        return true;
    }

    /** Every datagram of the servers with pending queries, waiting at most {@code millis} for one. */
    private boolean receiveSelecting(long millis) {
        try {
            if (selector == null) {
                selector = Selector.open();
            }
            for (Query q : pending) {
                DatagramChannel channel = q.server.channel;
                if (channel.keyFor(selector) == null) {
                    channel.configureBlocking(false);
                    channel.register(selector, SelectionKey.OP_READ, q.server);
                }
            }
            if (selector.select(millis) == 0) {
                return false;
            }
        } catch (IOException e) {
            // Not a server's fault: end every query, as a failed socket would.
            for (Server s : new ArrayList<>(servers)) {
                fail(s, e);
            }
            return true;
        }
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        ArrayList<Server> ready = new ArrayList<>(2);
        while (keys.hasNext()) {
            ready.add((Server) keys.next().attachment());
            keys.remove();
        }
        for (Server server : ready) {
            try {
                // Every datagram, also on a socket with nothing pending (a stray or late one):
                // left unread, it would keep the selector ready forever.
                int n;
                while (server.channel.isOpen() && (n = server.channel.read(ByteBuffer.wrap(buffer))) > 0) {
                    dispatch(server, n);
                }
            } catch (IOException e) {
                fail(server, e);
            }
        }
        return true;
    }

    /** Hands the datagram in {@link #buffer} to the pending query of {@code server} it answers, if any. */
    private void dispatch(Server server, int length) {
        if (length < HEADER_LENGTH) {
            return;
        }
        for (int i = 0; i < pending.size(); i++) {
            Query q = pending.get(i);
            if (q.server == server && q.message[0] == buffer[0] && q.message[1] == buffer[1]
                    && sameQuestion(q.message, buffer, length)) {
                pending.remove(i);
                server.waiting--;
                // A copy: the completion may send a query that needs a larger buffer, and runs
                // dnsjava's parser on the answer after this method's next receive.
                q.answer.complete(Arrays.copyOf(buffer, length));
                return;
            }
        }
        // No query of ours: a stray or forged datagram. glibc ignores those and keeps waiting.
    }

    /**
     * Whether the answer's question is the query's: the same name (ASCII case-insensitive, as
     * names compare; label lengths never fall in A-Z), type and class. An answer may omit the
     * question only when it has an error code; dnsjava judges those.
     */
    static boolean sameQuestion(byte[] query, byte[] answer, int length) {
        int qdcount = (answer[4] & 0xff) << 8 | answer[5] & 0xff;
        if (qdcount == 0) {
            return (answer[3] & 0x0f) != 0;
        }
        int p = HEADER_LENGTH;
        while (p < query.length && query[p] != 0) {
            p += (query[p] & 0xff) + 1;
        }
        int end = p + 5; // the root label, type and class
        if (end > query.length || end > length) {
            return false;
        }
        for (int i = HEADER_LENGTH; i < end; i++) {
            byte a = query[i];
            byte b = answer[i];
            if (a != b && (i >= p || toLower(a) != toLower(b))) {
                return false;
            }
        }
        return true;
    }

    private static int toLower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
    }

    /** Ends the queries whose time is up ({@code now}), with {@link DeadlineExceeded} once the lookup's is. */
    private void expire(long now) {
        boolean lookupOver = hasDeadline && deadline - now <= 0;
        ArrayList<Query> ended = new ArrayList<>(2);
        for (Iterator<Query> it = pending.iterator(); it.hasNext();) {
            Query q = it.next();
            if (lookupOver || q.end - now <= 0) {
                it.remove();
                q.server.waiting--;
                ended.add(q);
            }
        }
        // Completed after the list is settled: each completion may send the next query.
        for (Query q : ended) {
            q.answer.completeExceptionally(lookupOver ? new DeadlineExceeded() : new SocketTimeoutException("no answer in time"));
        }
    }

    /**
     * Ends the pending queries of {@code server} with {@code e} (an ICMP error on its socket, an
     * interrupt that closed it); a closed socket is dropped, so a later query opens a new one.
     */
    private void fail(Server server, IOException e) {
        ArrayList<Query> ended = new ArrayList<>(2);
        for (Iterator<Query> it = pending.iterator(); it.hasNext();) {
            Query q = it.next();
            if (q.server == server) {
                it.remove();
                ended.add(q);
            }
        }
        server.waiting = 0;
        if (!server.channel.isOpen()) {
            servers.remove(server);
        }
        for (Query q : ended) {
            q.answer.completeExceptionally(e);
        }
    }

    /** The socket of this lookup connected to {@code remote} from {@code local} (null: any), opened on first use. */
    private Server server(InetSocketAddress local, InetSocketAddress remote) throws IOException {
        for (Server s : servers) {
            if (s.remote.equals(remote) && (local == null ? s.local == null : local.equals(s.local))) {
                return s;
            }
        }
        DatagramChannel channel = DatagramChannel.open();
        try {
            if (local != null) {
                channel.bind(local);
            }
            channel.connect(remote);
            if (selector != null) {
                channel.configureBlocking(false);
            }
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        Server s = new Server(remote, local, channel);
        servers.add(s);
        return s;
    }

    /**
     * The wait for a blocking socket operation of {@code lookup} (null: none): until {@code end}
     * (that query's own timeout), cut to the lookup's deadline; at least 1 ms, since 0 would mean
     * forever.
     */
    static int waitMillis(QueryExchange lookup, long end) throws SocketTimeoutException {
        long now = System.nanoTime();
        boolean limited = lookup != null && lookup.hasDeadline;
        if (limited && lookup.deadline - now <= 0) {
            throw new DeadlineExceeded();
        }
        long left = limited ? Math.min(end - now, lookup.deadline - now) : end - now;
        if (left <= 0) {
            throw new SocketTimeoutException("no answer in time");
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left)));
    }

    /** Closes every socket of the lookup; a pending query's answer is dropped. */
    @Override
    public void close() {
        closed = true;
        pending.clear();
        for (Server s : servers) {
            try {
                s.channel.close();
            } catch (IOException ignored) {
                // nothing was written to it that a close could lose
            }
        }
        servers.clear();
        if (selector != null) {
            try {
                selector.close();
            } catch (IOException ignored) {
                // its channels are closed already
            }
        }
    }
}

package gevent4j.resolver;

import java.io.IOException;
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
 * A {@link QueryExchange} with sockets of its own, read by the lookup's own thread, the way glibc's
 * {@code send_dg} does it: for a lookup that must not wait for another thread (one on the Hub's own
 * thread, whose greenlets could not run while it waits), and for a query outside any lookup. The
 * queries of the lookup that go to one server share one connected socket (so A and AAAA leave
 * together, and an ICMP "port unreachable" fails them at once); anything that arrives and answers
 * none of them is ignored, as glibc ignores it. In a greenlet every wait of these sockets is a wait
 * on the Hub's loop; a platform thread blocks; either way no other thread takes part.
 *
 * <p>The sockets are non-blocking and the lookup waits for them in a {@link Selector} of its own:
 * a read of a connected channel reports the ICMP error (a {@code DatagramSocket}'s blocking receive
 * does not), and queries of one lookup may wait on two servers at once (one family moved on to the
 * next server while the other still waits on the first). {@link #close} closes every socket.
 */
final class OwnSocketsExchange extends QueryExchange {

    /** One connected socket per server this lookup has asked. */
    private final ArrayList<Server> servers = new ArrayList<>(2);
    private final ArrayList<Query> pending = new ArrayList<>(2);
    /** Receives every answer; as large as the largest answer a pending query accepts. */
    private byte[] buffer = new byte[0];
    /** Opened by the first wait. */
    private Selector selector;

    /** A lookup with {@code timeoutNanos} in all, or none when negative. */
    OwnSocketsExchange(long timeoutNanos) {
        super(timeoutNanos);
    }

    /** One server's socket, connected to it. */
    private static final class Server {
        final InetSocketAddress remote;
        final InetSocketAddress local;
        final DatagramChannel channel;

        Server(InetSocketAddress remote, InetSocketAddress local, DatagramChannel channel) {
            this.remote = remote;
            this.local = local;
            this.channel = channel;
        }
    }

    /** A query sent on one of this lookup's sockets and not answered yet. */
    private static final class Query extends Pending {
        final Server server;

        Query(Server server, byte[] message, long end, CompletableFuture<byte[]> future) {
            super(message, end, future);
            this.server = server;
        }
    }

    @Override
    CompletableFuture<byte[]> send(InetSocketAddress local, InetSocketAddress remote, byte[] message, int max,
            long timeoutNanos) {
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        try {
            long now = System.nanoTime();
            checkSendable(message, now);
            Server server = server(local, remote);
            int sent;
            // A write with the thread's interrupt set would close the channel (NIO's
            // interruptible channels): the interrupt waits until it is done.
            boolean interrupted = Thread.interrupted();
            try {
                sent = server.channel.write(ByteBuffer.wrap(message));
            } catch (IOException e) {
                // The socket's error (an ICMP "port unreachable" for an earlier query, taken by
                // this write) is every query's on it, not only this one's.
                fail(server, e);
                throw e;
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            if (sent != message.length) {
                // A non-blocking socket refuses a datagram its send buffer has no room for.
                throw new IOException("the socket's send buffer is full");
            }
            if (buffer.length < max) {
                buffer = new byte[max];
            }
            pending.add(new Query(server, message, now + timeoutNanos, answer));
        } catch (IOException | RuntimeException e) {
            answer.completeExceptionally(e);
        }
        return answer;
    }

    @Override
    void await(BooleanSupplier finished) {
        boolean interrupted = false;
        try {
            while (!finished.getAsBoolean()) {
                if (pending.isEmpty()) {
                    throw new IllegalStateException("a DNS lookup waits for an answer no query of it will bring");
                }
                long until = earliestEnd(pending);
                // Ignored, as the JDK's lookup ignores it, and kept for the caller; left set, it
                // would end every select at once.
                interrupted |= Thread.interrupted();
                // At least 1 ms even when the time is up: an answer that arrived while this thread
                // was busy (a TCP retry, other greenlets) is taken before its query is given up.
                long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime()));
                if (!receive(millis)) {
                    expire(System.nanoTime());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Every datagram of the servers with pending queries, waiting at most {@code millis} for one. */
    private boolean receive(long millis) {
        try {
            if (selector == null) {
                selector = Selector.open();
            }
            for (Query q : pending) {
                DatagramChannel channel = q.server.channel;
                if (channel.keyFor(selector) == null) {
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
            if (q.server == server && answers(q.message, buffer, length)) {
                pending.remove(i);
                // A copy: the completion may send a query that needs a larger buffer, and runs
                // dnsjava's parser on the answer after this method's next receive.
                q.future.complete(Arrays.copyOf(buffer, length));
                return;
            }
        }
        // No query of ours: a stray or forged datagram. glibc ignores those and keeps waiting.
    }

    /** Ends the queries whose time is up ({@code now}), with {@link DeadlineExceeded} once the lookup's is. */
    private void expire(long now) {
        boolean lookupOver = hasDeadline && deadline - now <= 0;
        ArrayList<Query> ended = new ArrayList<>(2);
        for (Iterator<Query> it = pending.iterator(); it.hasNext();) {
            Query q = it.next();
            if (lookupOver || q.end - now <= 0) {
                it.remove();
                ended.add(q);
            }
        }
        // Completed after the list is settled: each completion may send the next query.
        for (Query q : ended) {
            q.future.completeExceptionally(lookupOver ? new DeadlineExceeded() : new SocketTimeoutException("no answer in time"));
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
        if (!server.channel.isOpen()) {
            servers.remove(server);
        }
        for (Query q : ended) {
            q.future.completeExceptionally(e);
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
            channel.configureBlocking(false);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        Server s = new Server(remote, local, channel);
        servers.add(s);
        return s;
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

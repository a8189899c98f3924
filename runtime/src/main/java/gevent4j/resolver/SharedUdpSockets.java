package gevent4j.resolver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The UDP sockets that the lookups in flight share, per nameserver, as c-ares shares them: a burst
 * of lookups costs one socket per {@link #QUERIES_PER_SOCKET} queries, not one per lookup (opening,
 * connecting and closing a socket per lookup was a quarter of {@code dnsjava}'s CPU on the Hub
 * thread). Each socket is connected to its
 * server (so an ICMP "port unreachable" fails its queries at once) and read by a reader of its own
 * (a greenlet on the Hub, from the factory given), which hands each answer to the query it answers,
 * by ID and question, and wakes that query's thread; anything else that arrives is ignored, as
 * glibc ignores it.
 *
 * <p>A socket lives while it has queries pending, and carries at most {@link #QUERIES_PER_SOCKET}:
 * when its last one is answered, ends or is withdrawn it is closed and its reader ends, and the
 * next query opens a new one on a new source port. Lookups one after the other thus each still get
 * a fresh port, as with glibc (c-ares without {@code ARES_FLAG_STAYOPEN} also closes a socket with
 * nothing pending); only lookups in flight together share one, and never more than that many
 * queries, so that a burst of answers fits the socket's receive buffer.
 *
 * <p>Thread-safe: the lookups' threads and the readers meet under one lock, held to update the
 * tables and to open a socket (system calls that never wait), never across a read or a write.
 */
final class SharedUdpSockets {

    /** The largest answer a query may accept when it asks for more. */
    private static final int MAX_DATAGRAM = 65_535;
    /** The answer every DNS client over UDP accepts (RFC 1035). */
    private static final int MIN_DATAGRAM = 512;
    /**
     * The queries one socket carries in its life. Its answers must fit the socket's receive buffer
     * while the Hub is busy (the default 208 KiB holds some 40 answers of 4 KiB, and far more of
     * the usual few hundred bytes), and its source port is not reused beyond them.
     */
    static final int QUERIES_PER_SOCKET = 32;

    private final ThreadFactory readers;
    private final ReentrantLock lock = new ReentrantLock();
    private final HashMap<Key, Socket> open = new HashMap<>();

    /** {@code readers} makes the thread that reads one socket (a greenlet on the Hub, in the agent). */
    SharedUdpSockets(ThreadFactory readers) {
        this.readers = readers;
    }

    /**
     * A server and the local address to send from (null: any). Not a record: a record's equals and
     * hashCode are linked on first use through an invokedynamic bootstrap, which a cold burst of
     * lookups paid on the Hub thread.
     */
    private static final class Key {
        final InetSocketAddress local;
        final InetSocketAddress remote;

        Key(InetSocketAddress local, InetSocketAddress remote) {
            this.local = local;
            this.remote = remote;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && remote.equals(k.remote) && Objects.equals(local, k.local);
        }

        @Override
        public int hashCode() {
            return remote.hashCode() * 31 + Objects.hashCode(local);
        }
    }

    /**
     * One query sent on a shared socket. Its lookup's thread ({@link #waiter}) creates it and learns
     * its end from {@link #answer} or {@link #error}, which the reader sets before waking it.
     */
    static final class Query extends QueryExchange.Pending {
        final int max;
        final Thread waiter;
        volatile byte[] answer;
        volatile IOException error;
        private Socket socket;
        /** The next pending query of the same socket with the same ID. */
        private Query sameId;

        Query(byte[] message, int max, Thread waiter, long end, CompletableFuture<byte[]> future) {
            super(message, end, future);
            this.max = max;
            this.waiter = waiter;
        }

        boolean settled() {
            return answer != null || error != null;
        }

        private int id() {
            return (message[0] & 0xff) << 8 | message[1] & 0xff;
        }
    }

    /** One socket connected to one server, with the queries waiting for its answers. */
    private static final class Socket {
        final Key key;
        final DatagramChannel channel;
        /** Pending queries by ID; queries with the same ID are chained ({@link Query#sameId}). */
        final HashMap<Integer, Query> byId = new HashMap<>();
        int pending;
        /** The queries it has carried, up to {@link #QUERIES_PER_SOCKET}. */
        int sent;
        /** The largest answer a pending query accepts. */
        int max;
        boolean closed;

        Socket(Key key, DatagramChannel channel) {
            this.key = key;
            this.channel = channel;
        }
    }

    /**
     * Sends {@code query} to {@code remote} from the shared socket for {@code local} (null: any
     * address) and {@code remote}, opening it if there is none.
     *
     * @throws IOException if it cannot be sent; the query is then not pending
     */
    void send(Query query, InetSocketAddress local, InetSocketAddress remote) throws IOException {
        Key key = new Key(local, remote);
        Socket socket;
        lock.lock();
        try {
            socket = open.get(key);
            if (socket == null) {
                socket = openSocket(key);
            }
            add(socket, query);
        } finally {
            lock.unlock();
        }
        int sent;
        // A write with the thread's interrupt set would close the channel (NIO's interruptible
        // channels), which every lookup in flight shares: the interrupt waits until it is done.
        boolean interrupted = Thread.interrupted();
        try {
            sent = socket.channel.write(ByteBuffer.wrap(query.message));
        } catch (IOException e) {
            // The socket's error (an ICMP "port unreachable" for an earlier query, taken by this
            // write) is every query's on it, not only this one's.
            fail(socket, e);
            throw e;
        } catch (RuntimeException e) {
            withdraw(query);
            throw e;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (sent != query.message.length) {
            withdraw(query);
            throw new IOException("the DNS query was not sent whole");
        }
    }

    /**
     * Gives up {@code query} (its time is up, its lookup ended); an answer that arrives for it later
     * is ignored.
     *
     * @return false if its reader took it first: its answer or error is set, or about to be
     */
    boolean withdraw(Query query) {
        Socket emptied = null;
        boolean withdrawn;
        lock.lock();
        try {
            Socket socket = query.socket;
            withdrawn = socket != null && remove(socket, query);
            if (withdrawn && socket.pending == 0) {
                emptied = closeLocked(socket);
            }
        } finally {
            lock.unlock();
        }
        close(emptied);
        return withdrawn;
    }

    /** A new socket connected to {@code key}'s server, in the table, with its reader started. */
    private Socket openSocket(Key key) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        try {
            if (key.local != null) {
                channel.bind(key.local);
            }
            channel.connect(key.remote);
            Socket socket = new Socket(key, channel);
            Thread reader = readers.newThread(() -> readGuarded(socket));
            if (reader == null) {
                throw new IOException("no thread to read the DNS answers");
            }
            reader.start();
            open.put(key, socket);
            return socket;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private void add(Socket socket, Query query) {
        query.socket = socket;
        Query first = socket.byId.putIfAbsent(query.id(), query);
        if (first != null) {
            query.sameId = first.sameId;
            first.sameId = query;
        }
        socket.pending++;
        if (++socket.sent == QUERIES_PER_SOCKET) {
            // Full: it takes no more queries, and closes once its last one has ended.
            open.remove(socket.key, socket);
        }
        socket.max = Math.max(socket.max, Math.min(query.max, MAX_DATAGRAM));
    }

    /** Takes {@code query} off {@code socket}'s table; false if it was not there. */
    private static boolean remove(Socket socket, Query query) {
        Integer id = query.id();
        Query first = socket.byId.get(id);
        if (first == query) {
            if (query.sameId == null) {
                socket.byId.remove(id);
            } else {
                socket.byId.put(id, query.sameId);
            }
        } else {
            Query before = first;
            while (before != null && before.sameId != query) {
                before = before.sameId;
            }
            if (before == null) {
                return false;
            }
            before.sameId = query.sameId;
        }
        query.sameId = null;
        socket.pending--;
        return true;
    }

    /** Marks {@code socket} closed and takes it out of the table; returns it, for {@link #close}. */
    private Socket closeLocked(Socket socket) {
        socket.closed = true;
        open.remove(socket.key, socket);
        return socket;
    }

    /** Closes the channel of a socket taken out of the table (outside the lock), which ends its reader. */
    private static void close(Socket socket) {
        if (socket != null) {
            try {
                socket.channel.close();
            } catch (IOException ignored) {
                // UDP: nothing written can be lost by a close
            }
        }
    }

    /** {@link #read}, whose unexpected failure ends the socket's queries at once rather than at their timeouts. */
    private void readGuarded(Socket socket) {
        try {
            read(socket);
        } catch (RuntimeException | Error e) {
            fail(socket, new IOException("the DNS answers could not be read: " + e, e));
            throw e;
        }
    }

    /** The reader of {@code socket}: every datagram to the query it answers, until the socket closes. */
    private void read(Socket socket) {
        // Never empty: a read into no room returns at once, and the loop would spin.
        byte[] buffer = new byte[MIN_DATAGRAM];
        while (true) {
            lock.lock();
            try {
                if (socket.closed) {
                    return;
                }
                if (buffer.length < socket.max) {
                    buffer = new byte[socket.max];
                }
            } finally {
                lock.unlock();
            }
            int length;
            try {
                length = socket.channel.read(ByteBuffer.wrap(buffer));
            } catch (IOException e) {
                // ICMP "port unreachable" (the server is not there), or the socket closed because
                // nothing is pending any more: every query still pending ends with it.
                fail(socket, e);
                return;
            }
            dispatch(socket, buffer, length);
        }
    }

    /** Hands the datagram in {@code buffer} to the pending query of {@code socket} it answers, if any. */
    private void dispatch(Socket socket, byte[] buffer, int length) {
        if (length < QueryExchange.HEADER_LENGTH) {
            return;
        }
        Query answered = null;
        Socket emptied = null;
        lock.lock();
        try {
            int id = (buffer[0] & 0xff) << 8 | buffer[1] & 0xff;
            for (Query q = socket.byId.get(id); q != null; q = q.sameId) {
                if (QueryExchange.sameQuestion(q.message, buffer, length)) {
                    answered = q;
                    break;
                }
            }
            if (answered != null) {
                remove(socket, answered);
                if (socket.pending == 0) {
                    emptied = closeLocked(socket);
                }
            }
        } finally {
            lock.unlock();
        }
        close(emptied);
        if (answered != null) {
            // A copy: this buffer takes the next datagram while the lookup's thread parses this one.
            byte[] answer = new byte[length];
            System.arraycopy(buffer, 0, answer, 0, length);
            answered.answer = answer;
            LockSupport.unpark(answered.waiter);
        }
        // Otherwise a stray, late or forged datagram: ignored, as glibc ignores it.
    }

    /** Ends every query still pending on {@code socket} with {@code e} and closes it. */
    private void fail(Socket socket, IOException e) {
        ArrayList<Query> ended = new ArrayList<>();
        Socket emptied;
        lock.lock();
        try {
            for (Query first : socket.byId.values()) {
                for (Query q = first; q != null; q = q.sameId) {
                    ended.add(q);
                }
            }
            socket.byId.clear();
            socket.pending = 0;
            emptied = socket.closed ? null : closeLocked(socket);
        } finally {
            lock.unlock();
        }
        close(emptied);
        for (Query q : ended) {
            q.sameId = null;
            q.error = e;
            LockSupport.unpark(q.waiter);
        }
    }
}

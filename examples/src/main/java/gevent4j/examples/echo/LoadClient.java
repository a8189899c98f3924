package gevent4j.examples.echo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Load generator for {@link EchoServer}, meant to run in its own JVM without the agent.
 *
 * <p>Opens {@code --connections} connections (at most {@code --connect-batch}, default 50, in flight
 * at a time, so a server's small accept backlog is not overrun; a connection counts once the server
 * has echoed a one-byte greeting; refused or reset connects are retried a few times), keeps them all
 * open, then runs {@code --rounds} rounds: in each round every connection sends
 * {@code --size} bytes of deterministic pseudo-random data and reads the echo back, checking every
 * byte. All I/O runs on one thread with non-blocking channels and one {@link Selector}.
 *
 * <p>Prints one line to stdout:
 * {@code RESULT connections=N rounds=R size=S connected=C bytes_verified=B errors=E connect_seconds=X seconds=Y}
 * and exits 0 only if there were no errors and every byte came back intact. Details of the first
 * errors go to stderr.
 */
public final class LoadClient {

    private static final int MAX_CONNECT_ATTEMPTS = 5;
    private static final int MAX_REPORTED_ERRORS = 10;
    private static final int WRITE_CHUNK = 16 * 1024;

    private final String host;
    private final int port;
    private final int connections;
    private final int rounds;
    private final int size;
    private final int connectBatch;
    private final long deadlineNanos;

    private final Selector selector;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
    private final List<Conn> open = new ArrayList<>();
    private long errors;
    private long bytesVerified;

    private LoadClient(String host, int port, int connections, int rounds, int size, int connectBatch,
                       long timeoutSeconds) throws IOException {
        this.host = host;
        this.port = port;
        this.connections = connections;
        this.rounds = rounds;
        this.size = size;
        this.connectBatch = connectBatch;
        this.deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        this.selector = Selector.open();
    }

    public static void main(String[] args) throws IOException {
        String host = "127.0.0.1";
        int port = -1;
        int connections = 1000;
        int rounds = 3;
        int size = 4096;
        int connectBatch = 50;
        long timeoutSeconds = 120;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                usage("missing value for " + name);
            }
            String value = args[++i];
            switch (name) {
                case "--host" -> host = value;
                case "--port" -> port = parseInt(name, value, 1);
                case "--connections" -> connections = parseInt(name, value, 1);
                case "--rounds" -> rounds = parseInt(name, value, 0);
                case "--size" -> size = parseInt(name, value, 1);
                case "--connect-batch" -> connectBatch = parseInt(name, value, 1);
                case "--timeout-seconds" -> timeoutSeconds = parseInt(name, value, 1);
                default -> usage("unknown option " + name);
            }
        }
        if (port < 0) {
            usage("--port is required");
        }
        LoadClient client = new LoadClient(host, port, connections, rounds, size, connectBatch, timeoutSeconds);
        System.exit(client.run() ? 0 : 1);
    }

    private static int parseInt(String name, String value, int min) {
        try {
            int v = Integer.parseInt(value);
            if (v >= min) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        usage(name + " must be an integer >= " + min + ", got " + value);
        return 0;
    }

    private static void usage(String problem) {
        System.err.println("LoadClient: " + problem);
        System.err.println("usage: LoadClient --port P [--host H] [--connections N] [--rounds R] [--size BYTES]"
                + " [--connect-batch N] [--timeout-seconds S]");
        System.exit(2);
    }

    private boolean run() {
        long start = System.nanoTime();
        double connectSeconds;
        try {
            connectAll();
            connectSeconds = (System.nanoTime() - start) / 1e9;
            for (int round = 0; round < rounds && !open.isEmpty() && !timedOut(); round++) {
                runRound(round);
            }
        } catch (IOException e) {
            error("selector failure: " + e);
            connectSeconds = (System.nanoTime() - start) / 1e9;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int connected = connectedCount;
        for (Conn c : open) {
            closeQuietly(c.channel);
        }
        closeQuietly(selector);
        long expected = (long) connections * rounds * size;
        if (errors == 0 && bytesVerified != expected) {
            error("verified " + bytesVerified + " bytes, expected " + expected);
        }
        if (errors > MAX_REPORTED_ERRORS) {
            note(errors + " errors in all; only the first " + MAX_REPORTED_ERRORS + " are shown");
        }
        System.out.printf(Locale.ROOT,
                "RESULT connections=%d rounds=%d size=%d connected=%d bytes_verified=%d errors=%d"
                        + " connect_seconds=%.2f seconds=%.2f%n",
                connections, rounds, size, connected, bytesVerified, errors, connectSeconds, seconds);
        System.out.flush();
        return errors == 0 && bytesVerified == expected;
    }

    // ---------------------------------------------------------------- connect phase

    private int connectedCount;

    /**
     * Opens every connection. A connection counts as established only once the server has echoed
     * a one-byte greeting, which proves the server accepted it and runs its handler; at most
     * {@code connectBatch} connections are between "connect started" and "greeting echoed", so at
     * most that many wait in the server's accept queue (whose default length, 50, is the default
     * batch). Overrunning that queue makes the kernel drop SYNs and handshakes, which costs
     * seconds of retransmission or, in the end, resets.
     */
    private void connectAll() throws IOException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IOException("cannot resolve " + host);
        }
        ArrayDeque<Conn> pending = new ArrayDeque<>();   // not started yet, or waiting to retry
        for (int id = 0; id < connections; id++) {
            pending.add(new Conn(id));
        }
        int inFlight = 0;
        ByteBuffer one = ByteBuffer.allocate(1);
        while ((!pending.isEmpty() || inFlight > 0) && !timedOut()) {
            long now = System.nanoTime();
            // Start connects up to the batch limit, oldest first; a retry waits for its backoff.
            int n = pending.size();
            for (int i = 0; i < n && inFlight < connectBatch; i++) {
                Conn c = pending.poll();
                if (c.retryAtNanos - now > 0) {
                    pending.add(c);
                    continue;
                }
                if (startConnect(c, address)) {
                    inFlight++;
                } else {
                    retryOrFail(c, pending);
                }
            }
            long wait = pending.isEmpty() || inFlight >= connectBatch ? remainingMillis() : Math.min(remainingMillis(), 20);
            selector.select(wait);
            for (SelectionKey key : selector.selectedKeys()) {
                Conn c = (Conn) key.attachment();
                try {
                    if (key.isConnectable()) {
                        if (c.channel.finishConnect()) {
                            sendGreeting(c);
                        }
                    } else if (key.isReadable()) {
                        one.clear();
                        int r = c.channel.read(one);
                        if (r < 0) {
                            throw new IOException("closed by the server before echoing the greeting");
                        }
                        if (r == 1) {
                            inFlight--;
                            key.interestOps(0);
                            if (one.get(0) != Payload.greeting(c.id)) {
                                fail(c, "greeting echoed as " + one.get(0) + ", expected " + Payload.greeting(c.id));
                            } else {
                                c.connected = true;
                                connectedCount++;
                                open.add(c);
                            }
                        }
                    }
                } catch (IOException e) {
                    inFlight--;
                    key.cancel();
                    c.lastError = e;
                    closeQuietly(c.channel);
                    retryOrFail(c, pending);
                }
            }
            selector.selectedKeys().clear();
        }
        if (!pending.isEmpty() || inFlight > 0) {
            int missing = pending.size() + inFlight;
            errors += missing;
            note("timed out connecting: " + missing + " of " + connections + " connections not established");
            for (SelectionKey key : selector.keys()) {
                Conn c = (Conn) key.attachment();
                if (!c.connected) {
                    key.cancel();
                    closeQuietly(c.channel);
                }
            }
            selector.selectNow();
        }
    }

    /** Starts a non-blocking connect. Returns false if it failed at once. */
    private boolean startConnect(Conn c, InetSocketAddress address) {
        try {
            c.attempts++;
            c.channel = SocketChannel.open();
            c.channel.configureBlocking(false);
            c.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (c.channel.connect(address)) {
                // Connected at once (possible on loopback): OP_CONNECT would never fire.
                c.channel.register(selector, 0, c);
                sendGreeting(c);
            } else {
                c.channel.register(selector, SelectionKey.OP_CONNECT, c);
            }
            return true;
        } catch (IOException e) {
            c.lastError = e;
            closeQuietly(c.channel);
            return false;
        }
    }

    private void sendGreeting(Conn c) throws IOException {
        ByteBuffer greeting = ByteBuffer.wrap(new byte[] {Payload.greeting(c.id)});
        if (c.channel.write(greeting) != 1) {
            throw new IOException("could not send the one-byte greeting");
        }
        c.channel.keyFor(selector).interestOps(SelectionKey.OP_READ);
    }

    private void retryOrFail(Conn c, ArrayDeque<Conn> pending) {
        if (c.attempts < MAX_CONNECT_ATTEMPTS) {
            c.retryAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100L * c.attempts);
            pending.add(c);
        } else {
            error("connection " + c.id + ": connect failed after " + c.attempts + " attempts: " + c.lastError);
        }
    }

    // ---------------------------------------------------------------- rounds

    private void runRound(int round) throws IOException {
        int active = 0;
        for (Conn c : List.copyOf(open)) {
            c.startRound(round, size);
            if (!write(c)) {
                continue;
            }
            c.channel.keyFor(selector).interestOps(c.interestOps(size));
            active++;
        }
        while (active > 0) {
            if (timedOut()) {
                int stuck = 0;
                for (Conn c : new ArrayList<>(open)) {
                    if (c.received < size) {
                        stuck++;
                        fail(c, "round " + round + ": timed out after " + c.received + " of " + size + " bytes echoed");
                    }
                }
                note("timed out in round " + round + " with " + stuck + " connections incomplete");
                return;
            }
            selector.select(remainingMillis());
            for (SelectionKey key : selector.selectedKeys()) {
                Conn c = (Conn) key.attachment();
                if (!key.isValid()) {
                    continue;
                }
                boolean ok = true;
                if (key.isWritable()) {
                    ok = write(c);
                }
                if (ok && key.isReadable()) {
                    ok = read(c, round);
                }
                if (!ok) {
                    active--;
                } else if (c.received == size) {
                    key.interestOps(0);
                    active--;
                } else {
                    key.interestOps(c.interestOps(size));
                }
            }
            selector.selectedKeys().clear();
        }
    }

    /** Writes as much of this round's message as the socket takes. Returns false if the connection failed. */
    private boolean write(Conn c) {
        try {
            while (c.sent < size) {
                if (!c.out.hasRemaining()) {
                    int len = (int) Math.min(c.out.capacity(), size - c.generated);
                    c.out.clear();
                    Payload.fill(c.seed, c.generated, c.out.array(), 0, len);
                    c.generated += len;
                    c.out.limit(len);
                }
                int n = c.channel.write(c.out);
                if (n == 0) {
                    return true;
                }
                c.sent += n;
            }
            return true;
        } catch (IOException e) {
            fail(c, "write failed after " + c.sent + " bytes: " + e);
            return false;
        }
    }

    /** Reads and verifies echoed bytes. Returns false if the connection failed. */
    private boolean read(Conn c, int round) {
        try {
            while (true) {
                readBuffer.clear();
                int n = c.channel.read(readBuffer);
                if (n == 0) {
                    return true;
                }
                if (n < 0) {
                    fail(c, "round " + round + ": server closed the connection after " + c.received + " of "
                            + size + " bytes echoed");
                    return false;
                }
                if (c.received + n > size) {
                    fail(c, "round " + round + ": received " + (c.received + n) + " bytes, only " + size + " were sent");
                    return false;
                }
                int bad = Payload.verify(c.seed, c.received, readBuffer.array(), 0, n);
                if (bad >= 0) {
                    fail(c, "round " + round + ": byte " + (c.received + bad) + " differs: expected "
                            + Payload.byteAt(c.seed, c.received + bad) + ", got " + readBuffer.get(bad));
                    return false;
                }
                c.received += n;
                bytesVerified += n;
                if (c.received == size) {
                    return true;
                }
            }
        } catch (IOException e) {
            fail(c, "round " + round + ": read failed after " + c.received + " bytes: " + e);
            return false;
        }
    }

    private void fail(Conn c, String message) {
        error("connection " + c.id + ": " + message);
        SelectionKey key = c.channel.keyFor(selector);
        if (key != null) {
            key.cancel();
        }
        closeQuietly(c.channel);
        open.remove(c);
    }

    private void error(String message) {
        errors++;
        if (errors <= MAX_REPORTED_ERRORS) {
            System.err.println("LoadClient: " + message);
        }
    }

    private static void note(String message) {
        System.err.println("LoadClient: " + message);
    }

    private boolean timedOut() {
        return System.nanoTime() - deadlineNanos >= 0;
    }

    private long remainingMillis() {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception ignored) {
            // nothing useful to do
        }
    }

    /** One client connection and its progress through the current round. */
    private static final class Conn {
        final int id;
        SocketChannel channel;
        int attempts;
        long retryAtNanos;
        IOException lastError;
        boolean connected;

        long seed;
        ByteBuffer out;
        long generated;   // bytes of this round's message generated into out so far
        long sent;        // bytes of this round's message written to the socket
        long received;    // bytes of this round's echo received and verified

        Conn(int id) {
            this.id = id;
        }

        void startRound(int round, int size) {
            seed = Payload.seed(id, round);
            if (out == null) {
                out = ByteBuffer.allocate(Math.min(size, WRITE_CHUNK));
            }
            out.clear().limit(0);
            generated = 0;
            sent = 0;
            received = 0;
        }

        int interestOps(int size) {
            return SelectionKey.OP_READ | (sent < size ? SelectionKey.OP_WRITE : 0);
        }
    }

    /**
     * The deterministic message content: byte {@code i} of the message for (connection, round) is a
     * pure function of the seed and {@code i}, so the verifier needs no copy of what was sent.
     */
    static final class Payload {
        private Payload() {
        }

        static long seed(int connection, int round) {
            return mix(0x6765766E74346AL ^ ((long) connection << 32) ^ (round & 0xFFFFFFFFL));
        }

        /** The one byte a connection sends (and expects back) to prove the server accepted it. */
        static byte greeting(int connection) {
            return (byte) mix(0x68656C6CL + connection);
        }

        static byte byteAt(long seed, long index) {
            return (byte) (mix(seed + (index >>> 3)) >>> ((index & 7) * 8));
        }

        /** Fills {@code dst[off, off+len)} with message bytes starting at message offset {@code index}. */
        static void fill(long seed, long index, byte[] dst, int off, int len) {
            int i = 0;
            while (i < len) {
                long pos = index + i;
                long word = mix(seed + (pos >>> 3));
                for (int b = (int) (pos & 7); b < 8 && i < len; b++, i++) {
                    dst[off + i] = (byte) (word >>> (b * 8));
                }
            }
        }

        /**
         * Checks {@code src[off, off+len)} against message bytes starting at {@code index}. Returns the
         * position (relative to {@code off}) of the first wrong byte, or -1 if all match.
         */
        static int verify(long seed, long index, byte[] src, int off, int len) {
            int i = 0;
            while (i < len) {
                long pos = index + i;
                long word = mix(seed + (pos >>> 3));
                for (int b = (int) (pos & 7); b < 8 && i < len; b++, i++) {
                    if (src[off + i] != (byte) (word >>> (b * 8))) {
                        return i;
                    }
                }
            }
            return -1;
        }

        /** SplitMix64 finalizer. */
        static long mix(long z) {
            z += 0x9E3779B97F4A7C15L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }
}

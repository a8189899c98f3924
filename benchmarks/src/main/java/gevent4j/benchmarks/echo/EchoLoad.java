package gevent4j.benchmarks.echo;

import gevent4j.benchmarks.proc.DriverArgs;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The echo contest's load generator, in its own JVM without any agent. Opens {@code --connections}
 * connections (at most {@code --connect-batch} connecting at a time, each confirmed by an echoed
 * one-byte greeting so that a server's accept backlog is never overrun), then every connection
 * plays {@code --messages} request/response exchanges back to back, independently of the others:
 * send a message of a size drawn uniformly from {@code --min-size}..{@code --max-size} (a fixed
 * seed per connection, so every contender gets the same traffic), read the echo, check every
 * byte, send the next. Each exchange's round trip (first byte written to last byte read) goes
 * into a histogram with 1 µs buckets.
 *
 * <p>All I/O is non-blocking on one thread and one selector, so the client stays the same
 * whichever server it drives. With {@code --pause-between-phases true} it prints
 * {@code PHASE connected} once every connection is up and {@code PHASE exchanged} once every
 * exchange is done, and after each waits for a line on its standard input: a driver can then
 * observe the server during the exchange phase alone (the syscall count does). Prints
 * {@code RESULT connections=N messages=M connected=C exchanges=E bytes_verified=B errors=X
 * connect_seconds=S seconds=T rtt_p50_us=.. rtt_p99_us=.. rtt_max_us=.. client_cpu_s=..} where
 * {@code seconds} is the exchange phase alone and {@code client_cpu_s} this process's CPU time in
 * it, and exits 0 only when every byte of every exchange came back.
 */
public final class EchoLoad {

    private static final int MAX_RTT_MICROS = 10_000_000;

    private final InetSocketAddress address;
    private final int connections;
    private final int messages;
    private final int minSize;
    private final int maxSize;
    private final int connectBatch;
    private final boolean pauseBetweenPhases;
    private final long deadline;
    private final Selector selector;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private final long[] rttMicros = new long[MAX_RTT_MICROS + 1];
    private final List<Conn> open = new ArrayList<>();
    private long exchanges;
    private long bytesVerified;
    private long errors;

    private EchoLoad(InetSocketAddress address, int connections, int messages, int minSize, int maxSize,
                     int connectBatch, boolean pauseBetweenPhases, int timeoutSeconds) throws IOException {
        this.address = address;
        this.connections = connections;
        this.messages = messages;
        this.minSize = minSize;
        this.maxSize = maxSize;
        this.connectBatch = connectBatch;
        this.pauseBetweenPhases = pauseBetweenPhases;
        this.deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        this.selector = Selector.open();
    }

    private static final String USAGE = "EchoLoad --port P [--host H] [--connections N] [--messages M]"
        + " [--min-size B] [--max-size B] [--connect-batch N] [--timeout-seconds S] [--pause-between-phases true|false]";

    public static void main(String[] args) throws IOException {
        DriverArgs a = DriverArgs.parse(args, USAGE, List.of("--host", "--port", "--connections", "--messages",
            "--min-size", "--max-size", "--connect-batch", "--timeout-seconds", "--pause-between-phases"), false);
        int port = a.intValue("--port", -1);
        int connections = a.intValue("--connections", 1000);
        int messages = a.intValue("--messages", 100);
        int minSize = a.intValue("--min-size", 1);
        int maxSize = a.intValue("--max-size", 1024);
        if (port <= 0 || connections < 1 || messages < 1 || minSize < 1 || maxSize < minSize) {
            System.err.println("EchoLoad: need --port, and positive counts with --min-size <= --max-size");
            System.err.println("usage: " + USAGE);
            System.exit(2);
        }
        EchoLoad load = new EchoLoad(new InetSocketAddress(a.get("--host", "127.0.0.1"), port), connections, messages,
            minSize, maxSize, a.intValue("--connect-batch", 50),
            Boolean.parseBoolean(a.get("--pause-between-phases", "false")), a.intValue("--timeout-seconds", 300));
        System.exit(load.run() ? 0 : 1);
    }

    private boolean run() throws IOException {
        long start = System.nanoTime();
        connectAll();
        long connectEnd = System.nanoTime();
        pause("connected");
        long connected = System.nanoTime();
        double cpuAtConnected = processCpuSeconds();
        exchangeAll();
        long end = System.nanoTime();
        double exchangeCpu = processCpuSeconds() - cpuAtConnected;
        pause("exchanged");
        for (Conn c : open) {
            c.channel.close();
        }
        long expectedExchanges = (long) connections * messages;
        if (exchanges != expectedExchanges && errors == 0) {
            errors++;
            System.err.println("EchoLoad: " + exchanges + " exchanges completed, expected " + expectedExchanges);
        }
        System.out.printf(Locale.ROOT, "RESULT connections=%d messages=%d connected=%d exchanges=%d bytes_verified=%d"
                + " errors=%d connect_seconds=%.3f seconds=%.3f rtt_p50_us=%d rtt_p99_us=%d rtt_max_us=%d"
                + " client_cpu_s=%.3f%n",
            connections, messages, open.size(), exchanges, bytesVerified, errors, (connectEnd - start) / 1e9,
            (end - connected) / 1e9, percentile(0.50), percentile(0.99), percentile(1.0), exchangeCpu);
        return errors == 0;
    }

    /** This process's CPU time (user + system, every thread) so far, in seconds. */
    private static double processCpuSeconds() {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }

    /** With --pause-between-phases: says which phase ended and waits for the driver's line (or end of input). */
    private void pause(String phase) throws IOException {
        if (!pauseBetweenPhases) {
            return;
        }
        System.out.println("PHASE " + phase);
        System.out.flush();
        int c;
        while ((c = System.in.read()) != -1 && c != '\n') {
            // the line's content does not matter
        }
    }

    // ---- connect: at most connectBatch unconfirmed at a time; the echoed greeting confirms ----

    private void connectAll() throws IOException {
        int next = 0;
        int inFlight = 0;
        ByteBuffer one = ByteBuffer.allocate(1);
        while ((next < connections || inFlight > 0) && !timedOut()) {
            while (next < connections && inFlight < connectBatch) {
                Conn c = new Conn(next++);
                c.channel = SocketChannel.open();
                c.channel.configureBlocking(false);
                c.channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                if (c.channel.connect(address)) {
                    c.channel.register(selector, SelectionKey.OP_READ, c);
                    greet(c);
                } else {
                    c.channel.register(selector, SelectionKey.OP_CONNECT, c);
                }
                inFlight++;
            }
            selector.select(100);
            for (SelectionKey key : selector.selectedKeys()) {
                Conn c = (Conn) key.attachment();
                try {
                    if (key.isConnectable() && c.channel.finishConnect()) {
                        key.interestOps(SelectionKey.OP_READ);
                        greet(c);
                    } else if (key.isReadable()) {
                        one.clear();
                        int r = c.channel.read(one);
                        if (r < 0) {
                            throw new IOException("closed before echoing the greeting");
                        }
                        if (r == 1) {
                            inFlight--;
                            key.interestOps(0);
                            open.add(c);
                        }
                    }
                } catch (IOException e) {
                    inFlight--;
                    key.cancel();
                    c.channel.close();
                    error("connection " + c.id + ": " + e);
                }
            }
            selector.selectedKeys().clear();
        }
        if (open.size() < connections) {
            error((connections - open.size()) + " of " + connections + " connections not established");
        }
    }

    private static void greet(Conn c) throws IOException {
        if (c.channel.write(ByteBuffer.wrap(new byte[] {(byte) c.id})) != 1) {
            throw new IOException("could not send the greeting");
        }
    }

    // ---- exchanges: every connection independently, back to back ----

    private void exchangeAll() throws IOException {
        int active = 0;
        for (Conn c : open) {
            if (c.startMessage()) {
                active += send(c) ? 1 : 0;
            }
        }
        while (active > 0 && !timedOut()) {
            selector.select(100);
            for (SelectionKey key : selector.selectedKeys()) {
                Conn c = (Conn) key.attachment();
                if (!key.isValid()) {
                    continue;
                }
                try {
                    if (key.isWritable() && !flush(c)) {
                        continue;
                    }
                    if (key.isReadable() && receive(c)) {
                        // this exchange is complete
                        long rtt = (System.nanoTime() - c.sentAt) / 1_000;
                        rttMicros[(int) Math.min(rtt, MAX_RTT_MICROS)]++;
                        exchanges++;
                        if (c.startMessage()) {
                            send(c);
                        } else {
                            key.interestOps(0);
                            active--;
                        }
                    }
                } catch (IOException e) {
                    key.cancel();
                    c.channel.close();
                    active--;
                    error("connection " + c.id + " message " + c.message + ": " + e);
                }
            }
            selector.selectedKeys().clear();
        }
        if (active > 0) {
            error("timed out with " + active + " connections still exchanging");
        }
    }

    /** Starts writing the current message; returns false (and counts an error) when the connection failed. */
    private boolean send(Conn c) throws IOException {
        c.sentAt = System.nanoTime();
        flush(c);
        return true;
    }

    /** Writes what the socket takes; returns true when the whole message is out. */
    private boolean flush(Conn c) throws IOException {
        c.channel.write(c.out);
        boolean done = !c.out.hasRemaining();
        c.channel.keyFor(selector).interestOps(done ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        return done;
    }

    /** Reads and checks what arrived; returns true when the whole echo of the message is in. */
    private boolean receive(Conn c) throws IOException {
        readBuffer.clear();
        int n = c.channel.read(readBuffer);
        if (n < 0) {
            throw new IOException("closed by the server after " + c.received + " of " + c.size + " bytes");
        }
        for (int i = 0; i < n; i++) {
            int position = c.received + i;
            if (position >= c.size) {
                throw new IOException("the server sent more than it was sent");
            }
            if (readBuffer.get(i) != Conn.payload(c.id, c.message, position)) {
                throw new IOException("byte " + position + " differs");
            }
        }
        c.received += n;
        bytesVerified += n;
        return c.received == c.size;
    }

    private long percentile(double p) {
        long total = 0;
        for (long count : rttMicros) {
            total += count;
        }
        if (total == 0) {
            return -1;
        }
        long rank = Math.max(1, (long) Math.ceil(p * total));
        long seen = 0;
        for (int us = 0; us < rttMicros.length; us++) {
            seen += rttMicros[us];
            if (seen >= rank) {
                return us;
            }
        }
        return MAX_RTT_MICROS;
    }

    private boolean timedOut() {
        return System.nanoTime() - deadline > 0;
    }

    private void error(String message) {
        if (errors++ < 10) {
            System.err.println("EchoLoad: " + message);
        }
    }

    /** One connection's state. */
    private final class Conn {
        final int id;
        final SplittableRandom sizes;
        SocketChannel channel;
        final ByteBuffer out = ByteBuffer.allocate(maxSize);
        int message = -1;
        int size;
        int received;
        long sentAt;

        Conn(int id) {
            this.id = id;
            this.sizes = new SplittableRandom(0x9E3779B97F4A7C15L * (id + 1));
        }

        /** Prepares the next message; returns false when all have been exchanged. */
        boolean startMessage() {
            if (++message >= messages) {
                return false;
            }
            size = sizes.nextInt(minSize, maxSize + 1);
            received = 0;
            out.clear();
            for (int i = 0; i < size; i++) {
                out.put(payload(id, message, i));
            }
            out.flip();
            return true;
        }

        static byte payload(int id, int message, int position) {
            return (byte) (id * 131 + message * 31 + position * 7 + (position >>> 8));
        }
    }
}

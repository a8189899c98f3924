package gevent4j.benchmarks.idle;

import gevent4j.benchmarks.proc.DriverArgs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Opens {@code --connections} connections to an echo server and holds them open, idle, until its
 * standard input ends; then closes them all and exits. Everything runs on one thread with one
 * selector and non-blocking channels, so holding 100,000 connections costs this process little.
 *
 * <p>Every connection is confirmed before it counts: it sends one byte and waits for the echo, which
 * proves that the server accepted it and that the server's handler has run and is now blocked in
 * its next {@code read}. At most {@code --connect-batch} connections are unconfirmed at a time, so
 * the server's accept backlog (50 for a plain {@code new ServerSocket(port)}) never overflows (an
 * overflowing backlog drops SYNs, which the kernel retries only after a second or more).
 *
 * <p>Loopback port exhaustion: a client address has about 28,000 ephemeral ports
 * ({@code net.ipv4.ip_local_port_range}); each socket is therefore bound, before it connects, to
 * one of several source addresses 127.0.0.1, 127.0.0.2, ... (all of 127/8 is local), at most
 * {@code --max-per-source} connections each (10,000 by default: binding to port 0 searches the
 * address's range for a free port, which gets slow as the range fills).
 *
 * <p>Prints {@code progress held=N seconds=S} every 10,000, then {@code HELD connections=N
 * sources=K seconds=S} once all are confirmed, or {@code FAILED held=N reason=...} when an error
 * occurs or no connection was confirmed for {@code --stall-seconds} (a server that cannot start
 * more threads stops accepting). Either way it then holds what it has until its input ends.
 */
public final class IdleClient {

    private static final String USAGE = "IdleClient --port P [--host H] [--connections N] [--max-per-source N]"
        + " [--connect-batch N] [--stall-seconds S]";
    private static final int PROGRESS_EVERY = 10_000;

    private final InetSocketAddress server;
    private final int connections;
    private final int connectBatch;
    private final long stallNanos;
    private final InetAddress[] sources;
    private final Selector selector;
    private final List<SocketChannel> held = new ArrayList<>();

    private IdleClient(InetSocketAddress server, int connections, int maxPerSource, int connectBatch, int stallSeconds)
            throws IOException {
        this.server = server;
        this.connections = connections;
        this.connectBatch = connectBatch;
        this.stallNanos = TimeUnit.SECONDS.toNanos(stallSeconds);
        int count = Math.max(1, (connections + maxPerSource - 1) / maxPerSource);
        if (count > 254) {
            throw new IllegalArgumentException("more than 254 source addresses needed");
        }
        this.sources = new InetAddress[count];
        for (int i = 0; i < count; i++) {
            sources[i] = InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (i + 1)});
        }
        this.selector = Selector.open();
    }

    public static void main(String[] args) throws IOException {
        DriverArgs a = DriverArgs.parse(args, USAGE, List.of("--host", "--port", "--connections", "--max-per-source",
            "--connect-batch", "--stall-seconds"), false);
        String host = a.get("--host", "127.0.0.1");
        int port = a.intValue("--port", -1);
        int connections = a.intValue("--connections", 10_000);
        int maxPerSource = a.intValue("--max-per-source", 10_000);
        int connectBatch = a.intValue("--connect-batch", 32);
        int stall = a.intValue("--stall-seconds", 30);
        if (port <= 0 || connections < 1 || maxPerSource < 1 || connectBatch < 1) {
            usage("need --port and positive counts");
        }
        IdleClient client = new IdleClient(new InetSocketAddress(host, port), connections, maxPerSource, connectBatch, stall);
        client.connectAll();
        // Hold until the driver is done measuring; it closes our input.
        while (System.in.read() != -1) {
            // any input is ignored
        }
        for (SocketChannel c : client.held) {
            c.close();
        }
    }

    private static void usage(String problem) {
        System.err.println("IdleClient: " + problem);
        System.err.println("usage: " + USAGE);
        System.exit(2);
    }

    private void connectAll() {
        long start = System.nanoTime();
        long lastProgress = start;
        int next = 0;
        int inFlight = 0;
        ByteBuffer one = ByteBuffer.allocate(1);
        String failure = null;
        try {
            while (held.size() < connections) {
                while (next < connections && inFlight < connectBatch) {
                    open(next++);
                    inFlight++;
                }
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    SocketChannel c = (SocketChannel) key.channel();
                    if (key.isConnectable() && c.finishConnect()) {
                        key.interestOps(SelectionKey.OP_READ);
                        greet(c);
                    } else if (key.isReadable()) {
                        one.clear();
                        int r = c.read(one);
                        if (r < 0) {
                            throw new IOException("the server closed a connection before echoing its greeting");
                        }
                        if (r == 1) {
                            // Confirmed; leave the selector so that holding it costs nothing per select.
                            key.cancel();
                            held.add(c);
                            inFlight--;
                            lastProgress = System.nanoTime();
                            if (held.size() % PROGRESS_EVERY == 0) {
                                System.out.printf(Locale.ROOT, "progress held=%d seconds=%.1f%n", held.size(), seconds(start));
                                System.out.flush();
                            }
                        }
                    }
                }
                selector.selectedKeys().clear();
                if (System.nanoTime() - lastProgress > stallNanos) {
                    failure = "no connection confirmed for " + TimeUnit.NANOSECONDS.toSeconds(stallNanos) + " s";
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            failure = e.toString().replace(' ', '_');
        }
        if (failure == null) {
            System.out.printf(Locale.ROOT, "HELD connections=%d sources=%d seconds=%.2f%n", held.size(), sources.length, seconds(start));
        } else {
            System.out.printf(Locale.ROOT, "FAILED held=%d seconds=%.2f reason=%s%n", held.size(), seconds(start), failure);
        }
        System.out.flush();
    }

    private void open(int id) throws IOException {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.INET);
        c.bind(new InetSocketAddress(sources[id % sources.length], 0));
        c.configureBlocking(false);
        if (c.connect(server)) {
            c.register(selector, SelectionKey.OP_READ);
            greet(c);
        } else {
            c.register(selector, SelectionKey.OP_CONNECT);
        }
    }

    private static void greet(SocketChannel c) throws IOException {
        if (c.write(ByteBuffer.wrap(new byte[] {'x'})) != 1) {
            throw new IOException("could not send the greeting");
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}

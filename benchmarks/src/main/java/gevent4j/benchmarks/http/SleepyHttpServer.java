package gevent4j.benchmarks.http;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The HTTP workload's application, written as a plain JDK program with no gevent4j imports: the
 * JDK's own {@code com.sun.net.httpserver.HttpServer} with a cached thread pool
 * ({@link Executors#newCachedThreadPool()}, a thread per concurrent request), and a handler that
 * stands for a call to a slow backend: it sleeps 50 ms, then answers a small body. Without the agent
 * every concurrent request holds an OS thread while it sleeps; under the agent those threads are
 * greenlets.
 *
 * <p>The accept backlog is 1,024 (the JDK's default is 50): the load generator opens its 1,000
 * connections at once, and a backlog overflow would make the kernel retry dropped SYNs seconds
 * later, which measures the backlog, not the server.
 *
 * <p>Usage: {@code SleepyHttpServer [port] [sleep-ms]}; prints {@code listening on <port> loop=<the
 * agent's loop, or none>} and serves until killed.
 */
public final class SleepyHttpServer {

    private static final int BACKLOG = 1024;

    private SleepyHttpServer() {
    }

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        long sleepMillis = args.length > 1 ? Long.parseLong(args[1]) : 50;
        byte[] body = "hello from a slow backend\n".getBytes(StandardCharsets.US_ASCII);
        HttpServer server = HttpServer.create(new InetSocketAddress(port), BACKLOG);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            try {
                Thread.sleep(sleepMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        // The loop is the agent's system property; reading it needs no gevent4j class.
        System.out.println("listening on " + server.getAddress().getPort() + " loop="
            + System.getProperty("gevent4j.loop", "none"));
        System.out.flush();
    }
}

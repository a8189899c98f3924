package gevent4j.examples.api;

import com.sun.net.httpserver.HttpServer;
import gevent4j.Pool;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

/**
 * A bounded {@link Pool} fetching 20 pages from a local HTTP server whose handler takes 100 ms:
 * at most 5 requests at a time, so about 400 ms in all, on one Hub thread. {@code map} returns
 * the results in order; {@code imap} hands them out as the caller iterates.
 *
 * <pre>bin/example PoolExample</pre>
 */
public final class PoolExample {

    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        server.setExecutor(Executors.newCachedThreadPool()); // its threads are greenlets too
        server.createContext("/", exchange -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = exchange.getRequestURI().getPath().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/page-";
        List<Integer> pages = IntStream.range(0, 20).boxed().toList();

        Pool pool = new Pool(5);
        long start = System.nanoTime();
        List<String> bodies = pool.map(n -> fetch(base + n), pages);
        System.out.printf("map: %d pages in %d ms, first %s, last %s%n", bodies.size(),
            (System.nanoTime() - start) / 1_000_000, bodies.get(0), bodies.get(19));

        Iterator<String> lazily = pool.imap(n -> fetch(base + n), pages.subList(0, 3));
        while (lazily.hasNext()) {
            System.out.println("imap: " + lazily.next());
        }
        server.stop(0);
        System.exit(0); // the cached pool's idle threads would keep the JVM alive for a minute
    }

    private static String fetch(String url) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
            try (InputStream in = c.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

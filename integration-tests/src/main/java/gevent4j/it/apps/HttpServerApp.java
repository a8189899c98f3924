package gevent4j.it.apps;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JDK's {@code com.sun.net.httpserver.HttpServer} on an {@code Executors.newCachedThreadPool()}:
 * every request sleeps 20 ms (a stand-in for a slow backend) and answers
 * {@code hello <path> from <thread kind>}.
 *
 * <p>Prints {@code listening on <port>}. {@code GET /shutdown} stops the server; it then prints
 * {@code served requests=<n>} (not counting the shutdown request) and exits 0.
 */
public final class HttpServerApp {
  private HttpServerApp() {}

  public static void main(String[] args) throws Exception {
    AtomicInteger served = new AtomicInteger();
    CountDownLatch shutdown = new CountDownLatch(1);
    ExecutorService pool = Executors.newCachedThreadPool();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
    server.setExecutor(pool);
    server.createContext("/", exchange -> {
      try {
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/shutdown")) {
          respond(exchange, "bye");
          shutdown.countDown();
          return;
        }
        try (InputStream body = exchange.getRequestBody()) {
          body.readAllBytes();
        }
        Thread.sleep(20);
        respond(exchange, "hello " + path);
        served.incrementAndGet();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(500, -1);
      } catch (IOException | RuntimeException e) {
        System.err.println("handler failed: " + e);
        throw e;
      }
    });
    server.start();
    Check.println("listening on " + server.getAddress().getPort());
    shutdown.await();
    server.stop(0);
    pool.shutdown();
    Check.that(pool.awaitTermination(60, TimeUnit.SECONDS), "the pool did not terminate");
    Check.println("served requests=" + served.get());
  }

  private static void respond(HttpExchange exchange, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}

package gevent4j.it.apps;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A classic thread-per-connection echo server: {@code ServerSocket.accept} in {@code main} and
 * {@code new Thread(handler).start()} for every client, each echoing bytes until end of stream.
 *
 * <p>Usage: {@code EchoServerApp [connections]}. Prints {@code listening on <port>} (loopback,
 * ephemeral port). With {@code connections}, it stops accepting after that many clients, waits
 * for their handlers and prints {@code served connections=<n> bytes=<n> errors=<n>}; exit 0 if no
 * handler failed. Without, it serves until killed.
 */
public final class EchoServerApp {
  private static final AtomicLong BYTES = new AtomicLong();
  private static final AtomicInteger ERRORS = new AtomicInteger();

  private EchoServerApp() {}

  public static void main(String[] args) throws Exception {
    int limit = args.length > 0 ? Integer.parseInt(args[0]) : -1;
    List<Thread> handlers = new ArrayList<>();
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8192);
      Check.println("listening on " + server.getLocalPort());
      for (int accepted = 0; limit < 0 || accepted < limit; accepted++) {
        Socket socket = server.accept();
        Thread handler = new Thread(() -> echo(socket));
        handler.start();
        if (limit >= 0) {
          handlers.add(handler);
        }
      }
    }
    Check.joinAll(handlers, 300_000, "echo handlers");
    Check.println("served connections=" + handlers.size() + " bytes=" + BYTES.get() + " errors=" + ERRORS.get());
    Check.equal(0, ERRORS.get(), "handler errors");
  }

  private static void echo(Socket socket) {
    byte[] buffer = new byte[8192];
    try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
        BYTES.addAndGet(n);
      }
    } catch (IOException e) {
      ERRORS.incrementAndGet();
      System.err.println("echo handler failed: " + e);
    }
  }
}

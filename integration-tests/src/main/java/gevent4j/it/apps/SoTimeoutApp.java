package gevent4j.it.apps;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code setSoTimeout} must still time out: a client reading from a server that never writes gets
 * {@code SocketTimeoutException}, and so does {@code ServerSocket.accept} with nobody connecting.
 * Both sockets stay usable afterwards, as the JDK specifies. Run from {@code main} and from 50
 * threads at once.
 *
 * <p>Prints {@code read-timeout ok=<n>}, {@code accept-timeout ok=<n>} and {@code SO_TIMEOUT_APP OK}.
 */
public final class SoTimeoutApp {
  private static final int THREADS = 50;
  private static final int TIMEOUT_MILLIS = 200;

  private SoTimeoutApp() {}

  public static void main(String[] args) throws Exception {
    AtomicInteger readOk = new AtomicInteger();
    AtomicInteger acceptOk = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    Runnable both = () -> {
      try {
        readTimesOut();
        readOk.incrementAndGet();
        acceptTimesOut();
        acceptOk.incrementAndGet();
      } catch (Throwable e) {
        failures.incrementAndGet();
        e.printStackTrace();
      }
    };
    both.run(); // in main
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      Thread t = new Thread(both);
      t.start();
      threads.add(t);
    }
    Check.joinAll(threads, 90_000, "threads blocked despite SO_TIMEOUT");
    Check.println("read-timeout ok=" + readOk.get());
    Check.println("accept-timeout ok=" + acceptOk.get());
    Check.equal(0, failures.get(), "failures");
    Check.equal(THREADS + 1, readOk.get(), "read timeouts");
    Check.equal(THREADS + 1, acceptOk.get(), "accept timeouts");
    Check.println("SO_TIMEOUT_APP OK");
  }

  private static ServerSocket listen() throws Exception {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return server;
  }

  private static void readTimesOut() throws Exception {
    try (ServerSocket server = listen();
        Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket peer = server.accept()) {
      client.setSoTimeout(TIMEOUT_MILLIS);
      InputStream in = client.getInputStream();
      long t0 = System.nanoTime();
      try {
        int b = in.read();
        throw new AssertionError("read returned " + b + " although the server never wrote");
      } catch (SocketTimeoutException expected) {
        long elapsedMillis = (System.nanoTime() - t0) / 1_000_000;
        if (elapsedMillis < TIMEOUT_MILLIS - 1) {
          throw new AssertionError("read timed out after " + elapsedMillis + " ms, before SO_TIMEOUT "
              + TIMEOUT_MILLIS + " ms");
        }
      }
      if (client.isClosed()) {
        throw new AssertionError("the socket was closed by the read timeout");
      }
      // Still usable after the timeout.
      peer.getOutputStream().write(42);
      int b = in.read();
      if (b != 42) {
        throw new AssertionError("read after the timeout returned " + b + ", expected 42");
      }
    }
  }

  private static void acceptTimesOut() throws Exception {
    try (ServerSocket server = listen()) {
      server.setSoTimeout(TIMEOUT_MILLIS);
      long t0 = System.nanoTime();
      try (Socket s = server.accept()) {
        throw new AssertionError("accept returned " + s + " although nobody connected");
      } catch (SocketTimeoutException expected) {
        long elapsedMillis = (System.nanoTime() - t0) / 1_000_000;
        if (elapsedMillis < TIMEOUT_MILLIS - 1) {
          throw new AssertionError("accept timed out after " + elapsedMillis + " ms, before SO_TIMEOUT "
              + TIMEOUT_MILLIS + " ms");
        }
      }
      // Still usable after the timeout.
      try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
          Socket accepted = server.accept()) {
        client.getOutputStream().write(7);
        int b = accepted.getInputStream().read();
        if (b != 7) {
          throw new AssertionError("read on the socket accepted after the timeout returned " + b);
        }
      }
    }
  }
}

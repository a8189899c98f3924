package gevent4j.it.apps;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * TLS over sockets: an echo server ({@code SSLServerSocket}, one thread per connection) and 100
 * client threads, each doing 5 round trips of 2 KiB over an {@code SSLSocket}, every byte
 * verified. Key and trust material come from the {@code javax.net.ssl.*} system properties (the
 * default {@code SSLContext}).
 *
 * <p>Prints {@code ssl clients=100 bytes=<n> protocol=<p>}, {@code ssl served=100} and
 * {@code SSL_APP OK}.
 */
public final class SslApp {
  private static final int CLIENTS = 100;
  private static final int ROUNDS = 5;
  private static final int SIZE = 2048;

  private SslApp() {}

  public static void main(String[] args) throws Exception {
    for (String p : List.of("javax.net.ssl.keyStore", "javax.net.ssl.trustStore")) {
      Check.that(System.getProperty(p) != null, "system property " + p + " is not set");
    }
    SSLServerSocket server = (SSLServerSocket) SSLServerSocketFactory.getDefault().createServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    int port = server.getLocalPort();

    AtomicInteger served = new AtomicInteger();
    AtomicInteger serverFailures = new AtomicInteger();
    List<Thread> handlers = new ArrayList<>();
    Thread acceptor = new Thread(() -> {
      while (true) {
        SSLSocket socket;
        try {
          socket = (SSLSocket) server.accept();
        } catch (SocketException closed) {
          return; // main closed the server
        } catch (IOException e) {
          serverFailures.incrementAndGet();
          e.printStackTrace();
          return;
        }
        Thread handler = new Thread(() -> {
          try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buf = new byte[4096];
            for (int n; (n = in.read(buf)) >= 0; ) {
              out.write(buf, 0, n);
              out.flush();
            }
            served.incrementAndGet();
          } catch (Throwable e) {
            serverFailures.incrementAndGet();
            e.printStackTrace();
          }
        });
        synchronized (handlers) {
          handlers.add(handler);
        }
        handler.start();
      }
    }, "ssl-acceptor");
    acceptor.start();

    AtomicLong verified = new AtomicLong();
    AtomicInteger clientFailures = new AtomicInteger();
    List<String> protocols = new ArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> clients = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      int id = i;
      Thread t = new Thread(() -> {
        try {
          start.await();
          try (SSLSocket socket = (SSLSocket) SSLSocketFactory.getDefault()
              .createSocket(InetAddress.getLoopbackAddress(), port)) {
            socket.startHandshake();
            synchronized (protocols) {
              if (!protocols.contains(socket.getSession().getProtocol())) {
                protocols.add(socket.getSession().getProtocol());
              }
            }
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] sent = new byte[SIZE];
            for (int r = 0; r < ROUNDS; r++) {
              for (int k = 0; k < SIZE; k++) {
                sent[k] = (byte) (id * 131 + r * 17 + k * 7);
              }
              out.write(sent);
              out.flush();
              byte[] got = in.readNBytes(SIZE);
              if (!Arrays.equals(sent, got)) {
                throw new IOException("client " + id + " round " + r + ": echo differs (" + got.length + " bytes)");
              }
              verified.addAndGet(SIZE);
            }
          }
        } catch (Throwable e) {
          clientFailures.incrementAndGet();
          e.printStackTrace();
        }
      });
      t.start();
      clients.add(t);
    }
    start.countDown();
    Check.joinAll(clients, 100_000, "SSL clients");
    // Every client closed its socket: each handler reads end of stream and finishes.
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (served.get() + serverFailures.get() < CLIENTS && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    server.close();
    Check.joinAll(List.of(acceptor), 30_000, "SSL acceptor after close");
    synchronized (handlers) {
      Check.joinAll(handlers, 30_000, "SSL connection handlers");
    }
    Check.equal(0, clientFailures.get(), "SSL client failures");
    Check.equal(0, serverFailures.get(), "SSL server failures");
    Check.equal((long) CLIENTS * ROUNDS * SIZE, verified.get(), "SSL bytes verified");
    Check.println("ssl clients=" + CLIENTS + " bytes=" + verified.get() + " protocol=" + String.join(",", protocols));
    Check.println("ssl served=" + served.get());
    Check.equal(CLIENTS, served.get(), "SSL connections served");
    Check.println("SSL_APP OK");
  }
}

package gevent4j.it.apps;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Closing a socket from another thread must wake the thread blocked on it: a thread blocked in
 * {@code read} and a thread blocked in {@code accept} each get {@code SocketException}. Then new
 * connections must work, on file descriptor numbers the kernel is likely to have just reused:
 * 200 iterations, so stale registrations of a closed fd show up as hangs or wrong wake-ups.
 *
 * <p>Prints {@code read-close ok=<n>}, {@code accept-close ok=<n>}, {@code after-close ok=<n>} and
 * {@code CLOSE_DURING_BLOCK_APP OK}.
 */
public final class CloseDuringBlockApp {
  private static final int ITERATIONS = 200;
  /** How long a blocked thread may take to notice the close; it should take far less. */
  private static final long JOIN_MILLIS = 30_000;

  private CloseDuringBlockApp() {}

  public static void main(String[] args) throws Exception {
    int readOk = 0;
    int acceptOk = 0;
    int afterOk = 0;
    for (int i = 0; i < ITERATIONS; i++) {
      closeDuringRead(i);
      readOk++;
      closeDuringAccept(i);
      acceptOk++;
      echoOnce(i);
      afterOk++;
    }
    Check.println("read-close ok=" + readOk);
    Check.println("accept-close ok=" + acceptOk);
    Check.println("after-close ok=" + afterOk);
    Check.println("CLOSE_DURING_BLOCK_APP OK");
  }

  private static ServerSocket listen() throws IOException {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return server;
  }

  @SuppressWarnings("try") // closed explicitly on purpose, or kept open only to hold the connection
  private static void closeDuringRead(int iteration) throws Exception {
    try (ServerSocket server = listen();
        Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket peer = server.accept()) {
      AtomicReference<Throwable> outcome = new AtomicReference<>();
      CountDownLatch reading = new CountDownLatch(1);
      Thread reader = new Thread(() -> {
        try {
          reading.countDown();
          int b = client.getInputStream().read();
          outcome.set(new AssertionError("read returned " + b));
        } catch (Throwable e) {
          outcome.set(e);
        }
      });
      reader.start();
      reading.await();
      // Give the reader time to block; if it has not yet, read on a closed socket throws the
      // same SocketException, so the assertion holds either way.
      Thread.sleep(5);
      client.close();
      reader.join(JOIN_MILLIS);
      Check.that(!reader.isAlive(), "iteration " + iteration + ": the reader is still blocked in read "
          + JOIN_MILLIS + " ms after its socket was closed");
      expectSocketException(outcome.get(), "iteration " + iteration + ": read on a socket closed meanwhile");
      Check.that(peer.getInputStream().read() == -1, "iteration " + iteration + ": the peer did not see end of stream");
    }
  }

  private static void closeDuringAccept(int iteration) throws Exception {
    ServerSocket server = listen();
    AtomicReference<Throwable> outcome = new AtomicReference<>();
    CountDownLatch accepting = new CountDownLatch(1);
    Thread acceptor = new Thread(() -> {
      try {
        accepting.countDown();
        Socket s = server.accept();
        s.close();
        outcome.set(new AssertionError("accept returned " + s));
      } catch (Throwable e) {
        outcome.set(e);
      }
    });
    acceptor.start();
    accepting.await();
    Thread.sleep(5);
    server.close();
    acceptor.join(JOIN_MILLIS);
    Check.that(!acceptor.isAlive(), "iteration " + iteration + ": the acceptor is still blocked in accept "
        + JOIN_MILLIS + " ms after its server socket was closed");
    expectSocketException(outcome.get(), "iteration " + iteration + ": accept on a server socket closed meanwhile");
  }

  /** A fresh connection, likely on the fd numbers just closed, must carry data both ways. */
  private static void echoOnce(int iteration) throws Exception {
    try (ServerSocket server = listen()) {
      Thread echo = new Thread(() -> {
        try (Socket s = server.accept()) {
          int b = s.getInputStream().read();
          s.getOutputStream().write(b);
        } catch (IOException e) {
          e.printStackTrace();
        }
      });
      echo.start();
      try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
        client.setSoTimeout((int) JOIN_MILLIS);
        client.getOutputStream().write(iteration & 0x7f);
        int b;
        try {
          b = client.getInputStream().read();
        } catch (SocketTimeoutException e) {
          b = -2;
        }
        Check.that(b == (iteration & 0x7f), "iteration " + iteration + ": echo after close returned " + b
            + " instead of " + (iteration & 0x7f));
      }
      echo.join(JOIN_MILLIS);
      Check.that(!echo.isAlive(), "iteration " + iteration + ": the echo thread did not finish");
    }
  }

  private static void expectSocketException(Throwable t, String what) {
    if (!(t instanceof SocketException) || t instanceof SocketTimeoutException) {
      Check.fail(what + " ended with " + t + " instead of SocketException", t == null ? new AssertionError("nothing") : t);
    }
  }
}

package gevent4j.it.apps;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Interrupting a thread blocked in a socket read.
 *
 * <p>{@code SocketChannel.read}: the JDK specifies {@code ClosedByInterruptException}, the channel
 * closed and the interrupt status set, for platform and virtual threads alike; asserted 20 times.
 *
 * <p>{@code Socket} ({@code InputStream.read}): here platform and virtual threads differ. A
 * virtual thread (what {@code new Thread} gives under the agent) gets {@code SocketException}
 * and the socket is closed; a platform thread stays blocked. The app prints what it observed,
 * {@code socket-read-interrupt virtual=<b> outcome=<SocketException|still-blocked> closed=<b>},
 * and asserts the virtual-thread behaviour only where the reader was virtual.
 *
 * <p>Ends with {@code INTERRUPT_READ_APP OK}.
 */
public final class InterruptReadApp {
  private static final int CHANNEL_ITERATIONS = 20;
  private static final long JOIN_MILLIS = 30_000;
  /** How long a platform thread's read is watched after the interrupt before the socket is closed. */
  private static final long STILL_BLOCKED_MILLIS = 2_000;

  private InterruptReadApp() {}

  public static void main(String[] args) throws Exception {
    for (int i = 0; i < CHANNEL_ITERATIONS; i++) {
      interruptChannelRead(i);
    }
    Check.println("channel-read-interrupt ok=" + CHANNEL_ITERATIONS);
    interruptSocketRead();
    Check.println("INTERRUPT_READ_APP OK");
  }

  @SuppressWarnings("try") // closed explicitly on purpose, or kept open only to hold the connection
  private static void interruptChannelRead(int iteration) throws Exception {
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      try (SocketChannel client = SocketChannel.open(server.getLocalAddress());
          SocketChannel peer = server.accept()) {
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        AtomicBoolean interruptStatus = new AtomicBoolean();
        CountDownLatch reading = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
          try {
            reading.countDown();
            int n = client.read(ByteBuffer.allocate(16));
            outcome.set(new AssertionError("read returned " + n));
          } catch (Throwable e) {
            outcome.set(e);
          }
          interruptStatus.set(Thread.currentThread().isInterrupted());
        });
        reader.start();
        reading.await();
        Thread.sleep(20);
        reader.interrupt();
        reader.join(JOIN_MILLIS);
        String where = "iteration " + iteration + ": ";
        Check.that(!reader.isAlive(), where + "SocketChannel.read still blocked " + JOIN_MILLIS + " ms after interrupt");
        if (!(outcome.get() instanceof ClosedByInterruptException)) {
          Check.fail(where + "SocketChannel.read ended with " + outcome.get() + " instead of ClosedByInterruptException",
              outcome.get() == null ? new AssertionError("nothing") : outcome.get());
        }
        Check.that(!client.isOpen(), where + "the channel is still open after ClosedByInterruptException");
        Check.that(interruptStatus.get(), where + "the interrupt status was not set after ClosedByInterruptException");
      }
    }
  }

  @SuppressWarnings("try") // closed explicitly on purpose, or kept open only to hold the connection
  private static void interruptSocketRead() throws Exception {
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
          Socket peer = server.accept()) {
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        AtomicBoolean virtual = new AtomicBoolean();
        CountDownLatch reading = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
          virtual.set(Thread.currentThread().isVirtual());
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
        Thread.sleep(20);
        reader.interrupt();
        reader.join(STILL_BLOCKED_MILLIS);
        boolean stillBlocked = reader.isAlive();
        boolean closed = client.isClosed();
        if (stillBlocked) {
          client.close(); // release the platform thread
          reader.join(JOIN_MILLIS);
          Check.that(!reader.isAlive(), "Socket read still blocked after its socket was closed");
        }
        Throwable t = outcome.get();
        String observed = stillBlocked ? "still-blocked" : t == null ? "nothing" : t.getClass().getSimpleName();
        Check.println("socket-read-interrupt virtual=" + virtual.get() + " outcome=" + observed + " closed=" + closed
            + (stillBlocked || t == null ? "" : " message=" + t.getMessage()));
        if (virtual.get()) {
          if (!(t instanceof java.net.SocketException) || stillBlocked) {
            Check.fail("a virtual thread's Socket read ended with " + observed + " instead of SocketException",
                t == null ? new AssertionError("nothing") : t);
          }
          Check.that(closed, "the socket is still open after interrupting a virtual thread's read");
        }
      } catch (IOException e) {
        Check.fail("Socket interrupt test failed", e);
      }
    }
  }
}

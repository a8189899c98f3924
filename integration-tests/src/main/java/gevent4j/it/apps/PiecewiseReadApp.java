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

/**
 * Socket reads in pieces, every byte verified: the agent skips the read system call after a read
 * that did not fill its buffer, so each shape of stream that mixes short reads, full reads and
 * data already waiting must still arrive whole and in order, and never hang. Each scenario runs
 * on {@value #CONNECTIONS} connections at once, a writer thread and a reader thread each.
 *
 * <ul>
 *   <li>{@code large}: 1 MiB written at once, read into a 1,000-byte buffer.
 *   <li>{@code paused}: chunks of 1..3,000 bytes with pauses of 0..3 ms, read into 4,096 bytes
 *       (a timed read: SO_TIMEOUT is set).
 *   <li>{@code bytewise}: one byte per write, read one byte at a time with {@code read()}.
 *   <li>{@code trickle}: one byte per write, read into a 4,096-byte buffer (a short read each).
 *   <li>{@code burst}: two writes back to back, so the second has often arrived when the first's
 *       short read marks the socket drained (the wrong guess: one loop iteration, no hang).
 *   <li>{@code echo}: request/response, 1..1,024 bytes, the exchange the skip is made for.
 * </ul>
 *
 * <p>Prints {@code <scenario> ok=<connections>} and {@code <scenario> bytes=<n>} for each, then {@code PIECEWISE_READ_APP OK}.
 */
public final class PiecewiseReadApp {
  private static final int CONNECTIONS = 8;

  private PiecewiseReadApp() {}

  /** One connection's traffic: the writer's side and the reader's side. */
  private interface Scenario {
    void write(OutputStream out, InputStream in, int seed) throws Exception;

    long read(InputStream in, OutputStream out, Socket socket, int seed) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    run("large", new Scenario() {
      public void write(OutputStream out, InputStream in, int seed) throws IOException {
        out.write(pattern(seed, 0, 1 << 20));
      }

      public long read(InputStream in, OutputStream out, Socket socket, int seed) throws IOException {
        return readVerified(in, seed, 1 << 20, 1000);
      }
    });
    run("paused", new Scenario() {
      public void write(OutputStream out, InputStream in, int seed) throws Exception {
        int offset = 0;
        for (int i = 0; i < 100; i++) {
          int size = 1 + (i * 733 + seed * 17) % 3000;
          out.write(pattern(seed, offset, size));
          offset += size;
          Thread.sleep(i % 4);
        }
      }

      public long read(InputStream in, OutputStream out, Socket socket, int seed) throws IOException {
        socket.setSoTimeout(30_000);
        int total = 0;
        for (int i = 0; i < 100; i++) {
          total += 1 + (i * 733 + seed * 17) % 3000;
        }
        return readVerified(in, seed, total, 4096);
      }
    });
    run("bytewise", new Scenario() {
      public void write(OutputStream out, InputStream in, int seed) throws IOException {
        byte[] all = pattern(seed, 0, 2000);
        for (byte b : all) {
          out.write(b);
        }
      }

      public long read(InputStream in, OutputStream out, Socket socket, int seed) throws IOException {
        byte[] expected = pattern(seed, 0, 2000);
        for (int i = 0; i < expected.length; i++) {
          int b = in.read();
          Check.that(b == (expected[i] & 0xff), "bytewise: byte " + i + " is " + b + ", expected " + (expected[i] & 0xff));
        }
        Check.that(in.read() == -1, "bytewise: no end of stream after the last byte");
        return expected.length;
      }
    });
    run("trickle", new Scenario() {
      public void write(OutputStream out, InputStream in, int seed) throws Exception {
        byte[] all = pattern(seed, 0, 500);
        for (int i = 0; i < all.length; i++) {
          out.write(all[i]);
          if (i % 50 == 0) {
            Thread.sleep(1);
          }
        }
      }

      public long read(InputStream in, OutputStream out, Socket socket, int seed) throws IOException {
        return readVerified(in, seed, 500, 4096);
      }
    });
    run("burst", new Scenario() {
      public void write(OutputStream out, InputStream in, int seed) throws IOException {
        int offset = 0;
        for (int i = 0; i < 200; i++) {
          int size = 1 + (i * 37 + seed) % 500;
          out.write(pattern(seed, offset, size));
          out.write(pattern(seed, offset + size, size));
          offset += 2 * size;
          Check.that(in.read() == 1, "burst: no acknowledgement from the reader");
        }
      }

      public long read(InputStream in, OutputStream out, Socket socket, int seed) throws IOException {
        int offset = 0;
        for (int i = 0; i < 200; i++) {
          int size = 1 + (i * 37 + seed) % 500;
          readVerifiedAt(in, seed, offset, 2 * size, 4096);
          offset += 2 * size;
          out.write(1);
        }
        Check.that(in.read() == -1, "burst: no end of stream after the last byte");
        return offset;
      }
    });
    run("echo", new Scenario() {
      public void write(OutputStream out, InputStream in, int seed) throws IOException {
        int offset = 0;
        for (int i = 0; i < 300; i++) {
          int size = 1 + (i * 389 + seed * 7) % 1024;
          out.write(pattern(seed, offset, size));
          readVerifiedAt(in, seed, offset, size, 1024);
          offset += size;
        }
      }

      public long read(InputStream in, OutputStream out, Socket socket, int seed) throws IOException {
        byte[] buffer = new byte[1024];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
          out.write(buffer, 0, n);
          total += n;
        }
        return total;
      }
    });
    Check.println("PIECEWISE_READ_APP OK");
  }

  private static void run(String name, Scenario scenario) throws Exception {
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();
    List<Thread> threads = new ArrayList<>();
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), CONNECTIONS);
      for (int c = 0; c < CONNECTIONS; c++) {
        int seed = c + 1;
        Thread writer = new Thread(() -> {
          try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            s.setTcpNoDelay(true);
            scenario.write(s.getOutputStream(), s.getInputStream(), seed);
            s.shutdownOutput();
            s.getInputStream().transferTo(OutputStream.nullOutputStream());
          } catch (Throwable e) {
            failures.incrementAndGet();
            e.printStackTrace();
          }
        });
        writer.start();
        threads.add(writer);
        Socket accepted = server.accept();
        Thread reader = new Thread(() -> {
          try (Socket s = accepted) {
            s.setTcpNoDelay(true);
            bytes.addAndGet(scenario.read(s.getInputStream(), s.getOutputStream(), s, seed));
            ok.incrementAndGet();
          } catch (Throwable e) {
            failures.incrementAndGet();
            e.printStackTrace();
          }
        });
        reader.start();
        threads.add(reader);
      }
      Check.joinAll(threads, 120_000, name + ": connections did not finish");
    }
    Check.println(name + " ok=" + ok.get());
    Check.println(name + " bytes=" + bytes.get());
    Check.equal(0, failures.get(), name + " failures");
    Check.equal(CONNECTIONS, ok.get(), name + " connections verified");
  }

  /** The stream's bytes from {@code offset}: a function of the connection's seed and the position. */
  private static byte[] pattern(int seed, int offset, int length) {
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      long position = offset + i;
      out[i] = (byte) (position * 31 + seed * 131 + (position >>> 8) * 7);
    }
    return out;
  }

  /** Reads exactly {@code total} bytes in reads of at most {@code bufferSize}, then expects the end of stream. */
  private static long readVerified(InputStream in, int seed, int total, int bufferSize) throws IOException {
    readVerifiedAt(in, seed, 0, total, bufferSize);
    Check.that(in.read() == -1, "no end of stream after " + total + " bytes");
    return total;
  }

  private static void readVerifiedAt(InputStream in, int seed, int offset, int length, int bufferSize)
      throws IOException {
    byte[] expected = pattern(seed, offset, length);
    byte[] buffer = new byte[bufferSize];
    int got = 0;
    while (got < length) {
      int n = in.read(buffer, 0, Math.min(bufferSize, length - got));
      Check.that(n > 0, "end of stream after " + (offset + got) + " bytes, expected " + (offset + length));
      for (int i = 0; i < n; i++) {
        if (buffer[i] != expected[got + i]) {
          Check.fail("byte " + (offset + got + i) + " differs: " + buffer[i] + " != " + expected[got + i]);
        }
      }
      got += n;
    }
  }
}

package gevent4j.it.apps;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Phaser;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client side of the echo tests, meant to run without the agent: opens {@code connections}
 * connections at once (one virtual thread each), holds them all open, then runs {@code rounds}
 * rounds in lock step; in each round every connection writes {@code size} bytes of a pattern
 * unique to (connection, round, offset) and reads them back, verifying every byte.
 *
 * <p>Usage: {@code EchoLoadApp <host> <port> <connections> <rounds> <size>}. Prints
 * {@code RESULT connections=<connected> bytes_verified=<n> errors=<n>}; exit 0 only if every
 * connection connected and every byte came back right.
 */
public final class EchoLoadApp {
  private static final int IO_TIMEOUT_MILLIS = 60_000;

  private EchoLoadApp() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      Check.fail("usage: EchoLoadApp <host> <port> <connections> <rounds> <size>");
    }
    InetSocketAddress address = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
    int connections = Integer.parseInt(args[2]);
    int rounds = Integer.parseInt(args[3]);
    int size = Integer.parseInt(args[4]);

    AtomicInteger connected = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    AtomicLong verified = new AtomicLong();
    AtomicInteger firstErrors = new AtomicInteger();
    // Phase 0: everybody connected; phase r+1: round r done everywhere. A failing connection
    // deregisters so the others are not held up.
    Phaser phaser = new Phaser(connections);
    List<Thread> threads = new ArrayList<>(connections);
    for (int c = 0; c < connections; c++) {
      int id = c;
      threads.add(Thread.ofVirtual().name("load-" + c).start(() -> {
        boolean arrived = false;
        try (Socket socket = new Socket()) {
          socket.connect(address, IO_TIMEOUT_MILLIS);
          socket.setSoTimeout(IO_TIMEOUT_MILLIS);
          connected.incrementAndGet();
          phaser.arriveAndAwaitAdvance();
          InputStream in = socket.getInputStream();
          OutputStream out = socket.getOutputStream();
          byte[] sent = new byte[size];
          byte[] received = new byte[size];
          for (int r = 0; r < rounds; r++) {
            fill(sent, id, r);
            out.write(sent);
            out.flush();
            int got = 0;
            while (got < size) {
              int n = in.read(received, got, size - got);
              if (n < 0) {
                throw new IOException("end of stream after " + got + " of " + size + " bytes in round " + r);
              }
              got += n;
            }
            for (int i = 0; i < size; i++) {
              if (received[i] != sent[i]) {
                throw new IOException("byte " + i + " of round " + r + " differs: sent " + sent[i]
                    + ", received " + received[i]);
              }
            }
            verified.addAndGet(size);
            phaser.arriveAndAwaitAdvance();
          }
          arrived = true;
          phaser.arriveAndDeregister();
        } catch (IOException | RuntimeException e) {
          errors.incrementAndGet();
          if (firstErrors.incrementAndGet() <= 10) {
            System.err.println("connection " + id + " failed: " + e);
          }
        } finally {
          if (!arrived) {
            phaser.arriveAndDeregister();
          }
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    long expected = (long) connections * rounds * size;
    Check.println("RESULT connections=" + connected.get() + " bytes_verified=" + verified.get()
        + " errors=" + errors.get());
    Check.equal(0, errors.get(), "errors");
    Check.equal(connections, connected.get(), "connections");
    Check.equal(expected, verified.get(), "bytes verified");
  }

  /** A pattern that differs between connections, rounds and offsets. */
  private static void fill(byte[] buffer, int connection, int round) {
    int seed = connection * 0x9E3779B1 + round * 0x85EBCA6B;
    for (int i = 0; i < buffer.length; i++) {
      buffer[i] = (byte) ((seed + i * 31) ^ (seed >>> (i & 15)));
    }
  }
}

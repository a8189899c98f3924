package gevent4j.it.apps;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * NIO in threads of the application:
 *
 * <ul>
 *   <li>a non-blocking {@code ServerSocketChannel} + {@code Selector} echo server on one thread,
 *       serving 100 client threads with blocking {@code SocketChannel}s (3 rounds of 1 KiB each,
 *       every byte verified); {@code selector.wakeup()} from another thread ends a {@code select()}
 *       that has no ready keys, and {@code select(200)} with no ready keys times out;
 *   <li>a {@code DatagramChannel} in blocking mode: a UDP echo server thread and 50 client threads
 *       on connected channels, each sending 20 datagrams and {@code receive}-ing the echo;
 *   <li>the application's own virtual threads: {@code Thread.ofVirtual().start} and
 *       {@code Executors.newVirtualThreadPerTaskExecutor()} running 1,000 tasks that sleep 5 ms and
 *       do a socket round trip with the selector server.
 * </ul>
 *
 * <p>Prints {@code selector-echo clients=100 bytes=<n>}, {@code wakeup ok}, {@code select-timeout ok},
 * {@code udp-echo clients=50 datagrams=1000}, {@code vthread-start ok},
 * {@code vthread-executor tasks=1000}, {@code thread carriers=<names>} (the distinct carriers of the
 * {@code new Thread} threads, {@code platform} for a platform thread), {@code vthread carriers=<names>}
 * (the distinct carriers of the virtual threads: the part of {@code Thread.currentThread().toString()}
 * after '@', comma separated and sorted) and {@code NIO_APP OK}.
 */
public final class NioApp {
  private static final int TCP_CLIENTS = 100;
  private static final int TCP_ROUNDS = 3;
  private static final int TCP_SIZE = 1024;
  private static final int UDP_CLIENTS = 50;
  private static final int UDP_DATAGRAMS = 20;
  private static final int VTHREAD_TASKS = 1_000;
  private static final long SELECT_TIMEOUT_MILLIS = 200;

  private static final Set<String> THREAD_CARRIERS = ConcurrentHashMap.newKeySet();
  private static final Set<String> VTHREAD_CARRIERS = ConcurrentHashMap.newKeySet();

  private NioApp() {}

  public static void main(String[] args) throws Exception {
    try (SelectorEchoServer server = SelectorEchoServer.start()) {
      selectorEcho(server);
      wakeup();
      selectTimeout();
      udpEcho();
      virtualThreads(server);
    }
    Check.println("thread carriers=" + String.join(",", new TreeSet<>(THREAD_CARRIERS)));
    Check.println("vthread carriers=" + String.join(",", new TreeSet<>(VTHREAD_CARRIERS)));
    Check.println("NIO_APP OK");
  }

  /** The carrier of the current thread: after '@' in its toString, "platform" if none. */
  private static String carrier() {
    String s = Thread.currentThread().toString();
    int at = s.lastIndexOf('@');
    return at < 0 || !Thread.currentThread().isVirtual() ? "platform" : s.substring(at + 1);
  }

  private static void noteThread() {
    THREAD_CARRIERS.add(carrier());
  }

  private static void noteVirtual() {
    Check.that(Thread.currentThread().isVirtual(), "not a virtual thread: " + Thread.currentThread());
    VTHREAD_CARRIERS.add(carrier());
  }

  // ---------------------------------------------------------------------------------------------
  // (a) Selector echo server with blocking SocketChannel clients

  private static void selectorEcho(SelectorEchoServer server) throws Exception {
    AtomicLong verified = new AtomicLong();
    AtomicInteger failures = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < TCP_CLIENTS; i++) {
      int id = i;
      Thread t = new Thread(() -> {
        try {
          noteThread();
          start.await();
          verified.addAndGet(roundTrips(server.port(), id, TCP_ROUNDS, TCP_SIZE));
          noteThread();
        } catch (Throwable e) {
          failures.incrementAndGet();
          e.printStackTrace();
        }
      });
      t.start();
      threads.add(t);
    }
    start.countDown();
    Check.joinAll(threads, 60_000, "selector echo clients");
    Check.equal(0, failures.get(), "selector echo failures");
    long expected = (long) TCP_CLIENTS * TCP_ROUNDS * TCP_SIZE;
    Check.equal(expected, verified.get(), "selector echo bytes verified");
    Check.println("selector-echo clients=" + TCP_CLIENTS + " bytes=" + verified.get());
  }

  /** {@code rounds} round trips of {@code size} bytes on a blocking SocketChannel; the bytes verified. */
  private static long roundTrips(int port, int id, int rounds, int size) throws IOException {
    long verified = 0;
    try (SocketChannel ch = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
      Check.that(ch.isBlocking(), "client channel not blocking");
      ByteBuffer out = ByteBuffer.allocate(size);
      ByteBuffer in = ByteBuffer.allocate(size);
      for (int r = 0; r < rounds; r++) {
        out.clear();
        for (int k = 0; k < size; k++) {
          out.put((byte) (id * 31 + r * 7 + k));
        }
        out.flip();
        while (out.hasRemaining()) {
          ch.write(out);
        }
        in.clear();
        while (in.hasRemaining()) {
          if (ch.read(in) < 0) {
            throw new IOException("client " + id + ": end of stream after " + in.position() + " bytes of round " + r);
          }
        }
        in.flip();
        out.rewind();
        if (!in.equals(out)) {
          throw new IOException("client " + id + ": echo of round " + r + " differs");
        }
        verified += size;
      }
    }
    return verified;
  }

  /**
   * Echo server: one thread, a non-blocking ServerSocketChannel and a Selector. Pending output of
   * a connection is kept until OP_WRITE says it can go.
   */
  static final class SelectorEchoServer implements AutoCloseable {
    private final Selector selector;
    private final ServerSocketChannel listener;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile Throwable failure;
    private final AtomicInteger accepted = new AtomicInteger();

    private SelectorEchoServer() throws IOException {
      selector = Selector.open();
      listener = ServerSocketChannel.open();
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 2048);
      listener.configureBlocking(false);
      listener.register(selector, SelectionKey.OP_ACCEPT);
      thread = new Thread(this::serve, "selector-server");
    }

    static SelectorEchoServer start() throws IOException {
      SelectorEchoServer s = new SelectorEchoServer();
      s.thread.start();
      return s;
    }

    int port() {
      return listener.socket().getLocalPort();
    }

    private void serve() {
      noteThread();
      try {
        while (!stopping) {
          selector.select();
          Iterator<SelectionKey> it = selector.selectedKeys().iterator();
          while (it.hasNext()) {
            SelectionKey key = it.next();
            it.remove();
            if (!key.isValid()) {
              continue;
            }
            if (key.isAcceptable()) {
              SocketChannel ch;
              while ((ch = listener.accept()) != null) {
                accepted.incrementAndGet();
                ch.configureBlocking(false);
                ch.register(selector, SelectionKey.OP_READ, new ArrayDeque<ByteBuffer>());
              }
            } else {
              handle(key);
            }
          }
        }
        noteThread();
      } catch (Throwable e) {
        failure = e;
        e.printStackTrace();
      }
    }

    @SuppressWarnings("unchecked")
    private static void handle(SelectionKey key) throws IOException {
      SocketChannel ch = (SocketChannel) key.channel();
      ArrayDeque<ByteBuffer> pending = (ArrayDeque<ByteBuffer>) key.attachment();
      if (key.isReadable()) {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        int n;
        try {
          n = ch.read(buf);
        } catch (IOException e) {
          n = -1; // reset by the peer
        }
        if (n < 0) {
          key.cancel();
          ch.close();
          return;
        }
        if (n > 0) {
          buf.flip();
          pending.add(buf);
        }
      }
      while (!pending.isEmpty()) {
        ByteBuffer head = pending.peek();
        ch.write(head);
        if (head.hasRemaining()) {
          break;
        }
        pending.poll();
      }
      key.interestOps(pending.isEmpty() ? SelectionKey.OP_READ : SelectionKey.OP_READ | SelectionKey.OP_WRITE);
    }

    @Override
    public void close() throws Exception {
      stopping = true;
      selector.wakeup();
      thread.join(30_000);
      Check.that(!thread.isAlive(), "the selector server did not stop after wakeup()");
      Check.that(failure == null, "selector server failed: " + failure);
      for (SelectionKey key : selector.keys()) {
        key.channel().close();
      }
      selector.close();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // wakeup() and select(timeout)

  private static void wakeup() throws Exception {
    try (Selector selector = Selector.open(); ServerSocketChannel idle = ServerSocketChannel.open()) {
      // A registered channel that is never ready, so select() really has something to wait on.
      idle.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      idle.configureBlocking(false);
      idle.register(selector, SelectionKey.OP_ACCEPT);
      CountDownLatch selecting = new CountDownLatch(1);
      AtomicLong result = new AtomicLong(-1);
      AtomicLong elapsedMillis = new AtomicLong(-1);
      Thread selectorThread = new Thread(() -> {
        try {
          noteThread();
          selecting.countDown();
          long t0 = System.nanoTime();
          result.set(selector.select());
          elapsedMillis.set((System.nanoTime() - t0) / 1_000_000);
        } catch (Throwable e) {
          e.printStackTrace();
        }
      });
      selectorThread.start();
      Thread waker = new Thread(() -> {
        try {
          noteThread();
          selecting.await();
          Thread.sleep(300); // let it block in select()
          selector.wakeup();
        } catch (Throwable e) {
          e.printStackTrace();
        }
      });
      waker.start();
      Check.joinAll(List.of(selectorThread, waker), 30_000, "select() not ended by wakeup()");
      Check.equal(0, result.get(), "select() result after wakeup()");
      Check.that(elapsedMillis.get() >= 0, "select() did not return normally");
      Check.println("wakeup ok");
    }
  }

  private static void selectTimeout() throws Exception {
    AtomicInteger ok = new AtomicInteger();
    Thread t = new Thread(() -> {
      try (Selector selector = Selector.open(); ServerSocketChannel idle = ServerSocketChannel.open()) {
        noteThread();
        idle.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        idle.configureBlocking(false);
        idle.register(selector, SelectionKey.OP_ACCEPT);
        long t0 = System.nanoTime();
        int n = selector.select(SELECT_TIMEOUT_MILLIS);
        long elapsedMillis = (System.nanoTime() - t0) / 1_000_000;
        Check.equal(0, n, "select(" + SELECT_TIMEOUT_MILLIS + ") result");
        Check.that(elapsedMillis >= SELECT_TIMEOUT_MILLIS - 1, "select(" + SELECT_TIMEOUT_MILLIS
            + ") returned after only " + elapsedMillis + " ms");
        Check.that(elapsedMillis < 20_000, "select(" + SELECT_TIMEOUT_MILLIS + ") took " + elapsedMillis + " ms");
        ok.incrementAndGet();
      } catch (Throwable e) {
        e.printStackTrace();
      }
    });
    t.start();
    Check.joinAll(List.of(t), 30_000, "select(timeout) did not time out");
    Check.equal(1, ok.get(), "select(timeout) checks passed");
    Check.println("select-timeout ok");
  }

  // ---------------------------------------------------------------------------------------------
  // (b) blocking DatagramChannel

  private static void udpEcho() throws Exception {
    DatagramChannel server = DatagramChannel.open();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    SocketAddress serverAddress = server.getLocalAddress();
    AtomicInteger echoed = new AtomicInteger();
    Thread serverThread = new Thread(() -> {
      noteThread();
      ByteBuffer buf = ByteBuffer.allocate(2048);
      try {
        while (true) {
          buf.clear();
          SocketAddress from = server.receive(buf);
          buf.flip();
          if (StandardCharsets.US_ASCII.decode(buf.duplicate()).toString().equals("STOP")) {
            return;
          }
          server.send(buf, from);
          echoed.incrementAndGet();
        }
      } catch (Throwable e) {
        e.printStackTrace();
      }
    }, "udp-server");
    serverThread.start();

    AtomicInteger verified = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> clients = new ArrayList<>();
    for (int i = 0; i < UDP_CLIENTS; i++) {
      int id = i;
      Thread t = new Thread(() -> {
        try (DatagramChannel ch = DatagramChannel.open()) {
          noteThread();
          ch.connect(serverAddress);
          Check.that(ch.isBlocking(), "datagram channel not blocking");
          start.await();
          ByteBuffer in = ByteBuffer.allocate(2048);
          for (int j = 0; j < UDP_DATAGRAMS; j++) {
            String message = "client " + id + " datagram " + j + " " + "x".repeat(id * 10);
            ch.write(StandardCharsets.US_ASCII.encode(message));
            in.clear();
            SocketAddress from = ch.receive(in);
            in.flip();
            String answer = StandardCharsets.US_ASCII.decode(in).toString();
            if (!serverAddress.equals(from) || !answer.equals(message)) {
              throw new IOException("client " + id + " datagram " + j + ": got '" + answer + "' from " + from);
            }
            verified.incrementAndGet();
          }
          noteThread();
        } catch (Throwable e) {
          failures.incrementAndGet();
          e.printStackTrace();
        }
      });
      t.start();
      clients.add(t);
    }
    start.countDown();
    Check.joinAll(clients, 60_000, "UDP clients");
    try (DatagramChannel stopper = DatagramChannel.open()) {
      stopper.send(StandardCharsets.US_ASCII.encode("STOP"), serverAddress);
    }
    Check.joinAll(List.of(serverThread), 30_000, "UDP server");
    server.close();
    Check.equal(0, failures.get(), "UDP client failures");
    Check.equal((long) UDP_CLIENTS * UDP_DATAGRAMS, verified.get(), "UDP datagrams verified");
    Check.equal((long) UDP_CLIENTS * UDP_DATAGRAMS, echoed.get(), "UDP datagrams echoed");
    Check.println("udp-echo clients=" + UDP_CLIENTS + " datagrams=" + verified.get());
  }

  // ---------------------------------------------------------------------------------------------
  // (c) the application's own virtual threads

  private static void virtualThreads(SelectorEchoServer server) throws Exception {
    AtomicInteger ok = new AtomicInteger();
    List<Thread> started = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      int id = i;
      started.add(Thread.ofVirtual().name("own-vthread-" + i).start(() -> {
        try {
          noteVirtual();
          Thread.sleep(5);
          noteVirtual();
          roundTrips(server.port(), 10_000 + id, 1, 64);
          noteVirtual();
          ok.incrementAndGet();
        } catch (Throwable e) {
          e.printStackTrace();
        }
      }));
    }
    Check.joinAll(started, 60_000, "Thread.ofVirtual() threads");
    Check.equal(started.size(), ok.get(), "Thread.ofVirtual() threads that succeeded");
    Check.println("vthread-start ok");

    AtomicInteger done = new AtomicInteger();
    List<Future<?>> futures = new ArrayList<>();
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < VTHREAD_TASKS; i++) {
        int id = 20_000 + i;
        futures.add(executor.submit(() -> {
          noteVirtual();
          Thread.sleep(5);
          noteVirtual();
          roundTrips(server.port(), id, 1, 128);
          noteVirtual();
          done.incrementAndGet();
          return null;
        }));
      }
      for (Future<?> f : futures) {
        try {
          f.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          Check.fail("a virtual thread executor task failed", e.getCause());
        }
      }
    }
    Check.equal(VTHREAD_TASKS, done.get(), "virtual thread executor tasks");
    Check.println("vthread-executor tasks=" + done.get());
  }
}

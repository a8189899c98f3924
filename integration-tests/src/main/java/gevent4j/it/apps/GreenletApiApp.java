package gevent4j.it.apps;

import gevent4j.Greenlet;
import gevent4j.GreenletTree;
import gevent4j.Pool;
import gevent4j.Timeout;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An application written against the greenlet API (the {@code runtime} artifact), run under the
 * agent, which provides those classes from the boot loader: greenlets made from {@code new Thread},
 * pools and virtual threads are {@code Greenlet}s; a {@code Timeout} cuts a socket read short and
 * leaves the socket usable; the spawn tree shows who spawned whom. Prints {@code GREENLET_API OK}.
 *
 * <p>Argument {@code untracked}: run with {@code track_greenlet_tree=false}; checks nothing is recorded.
 */
public final class GreenletApiApp {

  /** The line of the {@code new Thread} of "plain-thread" in {@link #main}. */
  private static final int NEW_THREAD_LINE = 38;

  public static void main(String[] args) throws Exception {
    boolean tracked = args.length == 0 || !args[0].equals("untracked");
    Thread main = Thread.currentThread();
    Check.that(Greenlet.current() == null, "main is a platform thread, not a greenlet");

    AtomicReference<Greenlet<?>> fromNewThread = new AtomicReference<>();
    Thread plain = new Thread(() -> fromNewThread.set(Greenlet.current()), "plain-thread");
    plain.start();
    plain.join();
    Check.that(fromNewThread.get() != null, "new Thread did not become a Greenlet");
    Check.that(fromNewThread.get().thread() == plain, "Greenlet.current().thread() is not the thread");
    Check.that(tracked == (fromNewThread.get().spawningThread() == main),
        "spawningThread of a new Thread: " + fromNewThread.get().spawningThread());
    StackTraceElement[] site = fromNewThread.get().spawningStack();
    if (tracked) {
      // The agent wrote the call site into this class when it rewrote the new Thread: one frame, this line.
      Check.that(site.length == 1 && site[0].getClassName().equals(GreenletApiApp.class.getName())
          && site[0].getMethodName().equals("main") && site[0].getFileName().equals("GreenletApiApp.java")
          && site[0].getLineNumber() == NEW_THREAD_LINE, "spawningStack of a new Thread: " + java.util.Arrays.toString(site));
    } else {
      Check.that(site.length == 0, "untracked spawningStack: " + java.util.Arrays.toString(site));
    }
    System.out.println("new Thread is a Greenlet");

    AtomicReference<Greenlet<?>> fromPool = new AtomicReference<>();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    pool.submit(() -> fromPool.set(Greenlet.current())).get();
    pool.shutdown();
    Check.that(fromPool.get() != null, "a pool thread is not a Greenlet");
    AtomicReference<Greenlet<?>> fromVirtual = new AtomicReference<>();
    Thread.ofVirtual().start(() -> fromVirtual.set(Greenlet.current())).join();
    Check.that(fromVirtual.get() != null, "a virtual thread is not a Greenlet");
    // Made inside the JDK, not at a rewritten call site: their creation stacks are captured.
    Check.that(!tracked || fromPool.get().spawningStack().length > 1,
        "a pool thread's creation stack: " + java.util.Arrays.toString(fromPool.get().spawningStack()));
    Check.that(!tracked || fromVirtual.get().spawningStack()[0].getClassName().equals(GreenletApiApp.class.getName()),
        "a virtual thread's creation stack: " + java.util.Arrays.toString(fromVirtual.get().spawningStack()));
    System.out.println("pool and virtual threads are Greenlets");

    timeoutLeavesTheSocketUsable();
    Greenlet<Object> sleeper = Greenlet.spawn(() -> {
      try {
        return Timeout.call(Duration.ofMillis(50), () -> {
          Thread.sleep(60_000);
          return "slept";
        });
      } catch (TimeoutException expected) {
        return "timed out";
      }
    });
    Check.that("timed out".equals(sleeper.get()), "the sleep was not cut short: " + sleeper.value());
    System.out.println("Timeout.call cut a sleep short");

    List<Integer> squares = new Pool(4).map(n -> n * n, List.of(1, 2, 3, 4, 5, 6));
    Check.that(squares.equals(List.of(1, 4, 9, 16, 25, 36)), "Pool.map: " + squares);
    System.out.println("Pool.map " + squares);

    java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
    Greenlet<Void> parent = Greenlet.spawn(() -> {
      if (tracked) {
        Greenlet.current().spawnTreeLocals().put("request", "r-42");
      } else {
        Check.that(Greenlet.current().spawnTreeLocals().isEmpty(), "untracked greenlets have spawn-tree locals");
      }
      Greenlet<Void> child = new Greenlet<>(() -> {
        hold.await();
        return null;
      });
      child.start();
      hold.await();
      child.join();
      return null;
    });
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (Greenlet.all().size() < 2) {
      Check.that(System.nanoTime() < deadline && !parent.ready(), "the parent and child greenlets never both ran: " + parent);
      Thread.sleep(1);
    }
    String tree = GreenletTree.format(true);
    System.out.println("TREE-BEGIN");
    System.out.print(tree);
    System.out.println("TREE-END");
    hold.countDown();
    parent.join();
    Check.that(Greenlet.all().isEmpty(), "greenlets still live: " + Greenlet.all());
    System.out.println("GREENLET_API OK");
  }

  /** A read under a 100 ms Timeout ends with Timeout.Expired; the same socket then reads the byte sent later. */
  private static void timeoutLeavesTheSocketUsable() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Greenlet<Integer> reader = Greenlet.spawn(() -> {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
          InputStream in = s.getInputStream();
          try (Timeout t = Timeout.start(Duration.ofMillis(100))) {
            in.read();
            Check.fail("read returned before the peer wrote");
          } catch (Timeout.Expired expired) {
            System.out.println("Timeout.Expired from a socket read");
          }
          Check.that(!s.isClosed(), "the timeout closed the socket");
          s.getOutputStream().write('?'); // ask for the byte
          return in.read();
        }
      });
      try (Socket peer = server.accept()) {
        InputStream in = peer.getInputStream();
        OutputStream out = peer.getOutputStream();
        Check.that(in.read() == '?', "no request after the timeout");
        out.write('x');
        out.flush();
        Check.that(reader.get() == 'x', "after the timeout the socket read " + reader.value());
      }
      System.out.println("the socket stays usable after a Timeout");
    }
  }
}

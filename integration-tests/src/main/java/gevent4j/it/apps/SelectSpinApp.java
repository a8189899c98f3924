package gevent4j.it.apps;

import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A reactor thread that spins on a selector whose key is always ready (an idle, writable socket
 * with OP_WRITE, as HttpCore does during a TLS close) for half a second, while another thread
 * sleeps 10 ms at a time. Threads that share CPUs keep ticking; so must greenlets on one Hub.
 *
 * <p>Prints {@code ticker kept running=true} and {@code SELECT_SPIN_APP OK}.
 */
public final class SelectSpinApp {
  private SelectSpinApp() {}

  public static void main(String[] args) throws Exception {
    try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
         SocketChannel client = SocketChannel.open(server.getLocalAddress());
         SocketChannel accepted = server.accept()) {
      client.configureBlocking(false);
      AtomicInteger ticks = new AtomicInteger();
      AtomicBoolean spinning = new AtomicBoolean(true);
      Thread ticker = new Thread(() -> {
        while (spinning.get()) {
          try {
            Thread.sleep(10);
          } catch (InterruptedException e) {
            return;
          }
          ticks.incrementAndGet();
        }
      });
      AtomicInteger selects = new AtomicInteger();
      Thread reactor = new Thread(() -> {
        try (Selector selector = Selector.open()) {
          client.register(selector, SelectionKey.OP_WRITE);
          long end = System.nanoTime() + 500_000_000L;
          while (System.nanoTime() < end) {
            selects.addAndGet(selector.select() > 0 ? 1 : 0);
            selector.selectedKeys().clear();
          }
        } catch (Exception e) {
          e.printStackTrace();
        } finally {
          spinning.set(false);
        }
      });
      ticker.start();
      reactor.start();
      reactor.join(60_000);
      ticker.join(10_000);
      Check.that(selects.get() > 0, "the selector never reported the writable key");
      // 0.5 s of 10 ms sleeps is ~50 ticks; a starved ticker gets at most one or two.
      Check.that(ticks.get() >= 10, "the ticker starved while another thread spun on select: " + ticks.get());
      Check.println("ticker kept running=true");
      Check.println("SELECT_SPIN_APP OK");
    }
  }
}

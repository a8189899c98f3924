package gevent4j.it.apps;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Name resolution from 50 threads at once: {@code getByName("localhost")} must give a loopback
 * address, {@code getAllByName} on the literals {@code 127.0.0.1} and {@code ::1} exactly that
 * address, and {@code getByName("no-such-host.invalid")} (RFC 6761: never resolves)
 * {@code UnknownHostException}.
 *
 * <p>Prints {@code localhost ok=<n>}, {@code literal ok=<n>}, {@code unknown ok=<n>} and
 * {@code DNS_APP OK}.
 */
public final class DnsApp {
  private static final int THREADS = 50;

  private DnsApp() {}

  public static void main(String[] args) throws Exception {
    AtomicInteger localhost = new AtomicInteger();
    AtomicInteger literal = new AtomicInteger();
    AtomicInteger unknown = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      Thread t = new Thread(() -> {
        try {
          start.await();
          InetAddress local = InetAddress.getByName("localhost");
          if (local.isLoopbackAddress()) {
            localhost.incrementAndGet();
          } else {
            report("localhost resolved to " + local);
            failures.incrementAndGet();
          }

          InetAddress[] v4 = InetAddress.getAllByName("127.0.0.1");
          InetAddress[] v6 = InetAddress.getAllByName("::1");
          if (v4.length == 1 && v4[0].getHostAddress().equals("127.0.0.1")
              && v6.length == 1 && v6[0].isLoopbackAddress() && v6[0].getAddress().length == 16) {
            literal.incrementAndGet();
          } else {
            report("literals resolved to " + List.of(v4) + " and " + List.of(v6));
            failures.incrementAndGet();
          }

          try {
            InetAddress a = InetAddress.getByName("no-such-host.invalid");
            report("no-such-host.invalid resolved to " + a);
            failures.incrementAndGet();
          } catch (UnknownHostException expected) {
            unknown.incrementAndGet();
          }
        } catch (Throwable e) {
          failures.incrementAndGet();
          e.printStackTrace();
        }
      });
      t.start();
      threads.add(t);
    }
    start.countDown();
    Check.joinAll(threads, 110_000, "resolving threads");
    Check.println("localhost ok=" + localhost.get());
    Check.println("literal ok=" + literal.get());
    Check.println("unknown ok=" + unknown.get());
    Check.equal(0, failures.get(), "failures");
    Check.equal(THREADS, localhost.get(), "localhost lookups");
    Check.equal(THREADS, literal.get(), "literal lookups");
    Check.equal(THREADS, unknown.get(), "unknown-host lookups");
    Check.println("DNS_APP OK");
  }

  private static synchronized void report(String problem) {
    System.err.println(problem);
  }
}

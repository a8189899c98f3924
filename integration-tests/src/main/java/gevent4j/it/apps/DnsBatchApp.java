package gevent4j.it.apps;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A batch of lookups that a slow DNS server answers ({@link SlowDnsServer}, zone
 * {@code slow.test}): {@code <hosts>} threads each resolve a distinct name
 * ({@code getAllByName("h<i>.slow.test")}, expecting exactly the server's address for it), and
 * {@code <nx>} threads resolve {@code nx-<i>.slow.test}, expecting {@code UnknownHostException}.
 * All start together; the elapsed time runs from their release to the end of the last lookup.
 *
 * <p>With a third argument {@code threads} the {@code hosts + nx} names are shared out over that
 * many threads instead (thread {@code t} resolves names {@code t, t + threads, ...} one after the
 * other): the benchmark's "500 lookups from 50 threads".
 *
 * <p>With a fourth argument {@code batches} the whole batch runs that many times, one after the
 * other, each time with new threads and new names ({@code b<k>-h<i>.slow.test} for batch
 * {@code k > 0}): the later batches find the JVM warm (classes loaded, code compiled), which the
 * first does not.
 *
 * <p>Usage: {@code DnsBatchApp [hosts [nx [threads [batches]]]]} (defaults 50, 5, one thread per name
 * and 1). Prints {@code answer h<i>.slow.test <addresses>} per host of the first batch,
 * {@code nx ok=<n>}, {@code lookups=<n> elapsed_ms=<ms>} for the first batch, then
 * {@code batch <k> lookups=<n> elapsed_ms=<ms>} for each later one, and {@code DNS_BATCH_APP OK}.
 * Run it with the JVM's address cache off
 * ({@code -Dsun.net.inetaddr.ttl=0 -Dsun.net.inetaddr.negative.ttl=0}) and a resolver configuration
 * that points at the server.
 */
public final class DnsBatchApp {
  private DnsBatchApp() {}

  public static void main(String[] args) throws Exception {
    int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int nx = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int threadCount = args.length > 2 ? Integer.parseInt(args[2]) : hosts + nx;
    int batches = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    for (int batch = 0; batch < batches; batch++) {
      String prefix = batch == 0 ? "" : "b" + batch + "-";
      String[] answers = new String[hosts];
      long elapsedMillis = run(prefix, hosts, nx, threadCount, answers);
      if (batch == 0) {
        for (int i = 0; i < hosts; i++) {
          Check.println("answer h" + i + "." + SlowDnsServer.ZONE + " " + answers[i]);
        }
        Check.println("lookups=" + (hosts + nx) + " elapsed_ms=" + elapsedMillis);
      } else {
        Check.println("batch " + batch + " lookups=" + (hosts + nx) + " elapsed_ms=" + elapsedMillis);
      }
    }
    Check.println("DNS_BATCH_APP OK");
  }

  /**
   * One batch: names {@code <prefix>h<i>} and {@code <prefix>nx-<i>}, checked; fails the
   * application on any wrong answer.
   *
   * @return the time from releasing the threads to the end of the last lookup, in milliseconds
   */
  private static long run(String prefix, int hosts, int nx, int threadCount, String[] answers) throws Exception {
    AtomicInteger hostOk = new AtomicInteger();
    AtomicInteger nxOk = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Runnable> lookups = new ArrayList<>();
    for (int i = 0; i < hosts; i++) {
      int id = i;
      String name = prefix + "h" + i + "." + SlowDnsServer.ZONE;
      lookups.add(() -> {
        try {
          InetAddress[] all = InetAddress.getAllByName(name);
          String got = Arrays.stream(all).map(InetAddress::getHostAddress).collect(Collectors.joining(","));
          answers[id] = got;
          if (got.equals(SlowDnsServer.addressFor(name))) {
            hostOk.incrementAndGet();
          } else {
            report(name + " resolved to " + got + ", expected " + SlowDnsServer.addressFor(name));
          }
        } catch (Throwable e) {
          failures.incrementAndGet();
          report(name + ": " + e);
        }
      });
    }
    for (int i = 0; i < nx; i++) {
      String name = prefix + "nx-" + i + "." + SlowDnsServer.ZONE;
      lookups.add(() -> {
        try {
          InetAddress[] all = InetAddress.getAllByName(name);
          failures.incrementAndGet();
          report(name + " resolved to " + Arrays.toString(all) + ", expected UnknownHostException");
        } catch (UnknownHostException expected) {
          nxOk.incrementAndGet();
        } catch (Throwable e) {
          failures.incrementAndGet();
          report(name + ": " + e);
        }
      });
    }
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < threadCount; t++) {
      int first = t;
      threads.add(new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          failures.incrementAndGet();
          report("interrupted: " + e);
          return;
        }
        for (int i = first; i < lookups.size(); i += threadCount) {
          lookups.get(i).run();
        }
      }));
    }
    threads.forEach(Thread::start);
    long t0 = System.nanoTime();
    start.countDown();
    Check.joinAll(threads, 100_000, "resolving threads");
    long elapsedMillis = (System.nanoTime() - t0) / 1_000_000;
    if (prefix.isEmpty()) {
      Check.println("nx ok=" + nxOk.get());
    }
    Check.equal(0, failures.get(), "failed lookups");
    Check.equal(hosts, hostOk.get(), "correct host lookups");
    Check.equal(nx, nxOk.get(), "NXDOMAIN lookups");
    return elapsedMillis;
  }

  private static synchronized void report(String problem) {
    System.out.println("problem: " + problem);
    System.out.flush();
  }
}

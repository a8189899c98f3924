package gevent4j.it.apps;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code java.util.concurrent} with many threads: blocking queues (array, linked, synchronous,
 * transfer) with 50 producers and 50 consumers each, {@code ReentrantLock} with {@code Condition},
 * {@code CountDownLatch}, {@code Semaphore}, fixed, cached and scheduled pools from
 * {@code Executors}, and {@code CompletableFuture} on a pool. Every result is a checked sum.
 *
 * <p>Prints one line per part and {@code CONCURRENT_APP OK}.
 */
public final class ConcurrentApp {
  private static final int PAIRS = 50;
  private static final int ITEMS = 1_000;
  private static final long JOIN_MILLIS = 120_000;

  private ConcurrentApp() {}

  public static void main(String[] args) throws Exception {
    queue("ArrayBlockingQueue", new ArrayBlockingQueue<>(16));
    queue("LinkedBlockingQueue", new LinkedBlockingQueue<>(16));
    queue("SynchronousQueue", new SynchronousQueue<>());
    queue("LinkedTransferQueue", new LinkedTransferQueue<>());
    lockAndCondition();
    latch();
    semaphore();
    pool("fixed", Executors.newFixedThreadPool(8));
    pool("cached", Executors.newCachedThreadPool());
    scheduled();
    completableFuture();
    Check.println("CONCURRENT_APP OK");
  }

  /** 50 producers put 1..1000 (offset per producer); 50 consumers take 1000 each. */
  private static void queue(String name, BlockingQueue<Long> queue) throws Exception {
    AtomicLong sum = new AtomicLong();
    AtomicInteger failures = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < PAIRS; p++) {
      long base = (long) p * ITEMS;
      Thread producer = new Thread(() -> {
        try {
          for (int i = 1; i <= ITEMS; i++) {
            if (queue instanceof LinkedTransferQueue<Long> transfer && i % 2 == 0) {
              transfer.transfer(base + i);
            } else {
              queue.put(base + i);
            }
          }
        } catch (InterruptedException e) {
          failures.incrementAndGet();
        }
      });
      Thread consumer = new Thread(() -> {
        try {
          for (int i = 0; i < ITEMS; i++) {
            Long item = i % 3 == 0 ? queue.poll(60, TimeUnit.SECONDS) : queue.take();
            if (item == null) {
              failures.incrementAndGet();
              return;
            }
            sum.addAndGet(item);
          }
        } catch (InterruptedException e) {
          failures.incrementAndGet();
        }
      });
      producer.start();
      consumer.start();
      threads.add(producer);
      threads.add(consumer);
    }
    Check.joinAll(threads, JOIN_MILLIS, name + " producers and consumers");
    long n = (long) PAIRS * ITEMS;
    long expected = n * (n + 1) / 2;
    Check.println(name + " sum=" + sum.get() + " expected=" + expected);
    Check.equal(0, failures.get(), name + " failures");
    Check.equal(expected, sum.get(), name + " sum");
    Check.that(queue.isEmpty(), name + " is not empty at the end");
  }

  /** 100 threads wait on a Condition for a gate, then add to a lock-guarded total. */
  private static void lockAndCondition() throws Exception {
    ReentrantLock lock = new ReentrantLock();
    Condition opened = lock.newCondition();
    Condition allWaiting = lock.newCondition();
    int[] waiting = {0};
    boolean[] open = {false};
    long[] total = {0};
    int threadsCount = 2 * PAIRS;
    List<Thread> threads = new ArrayList<>();
    for (int t = 1; t <= threadsCount; t++) {
      long value = t;
      Thread thread = new Thread(() -> {
        lock.lock();
        try {
          waiting[0]++;
          allWaiting.signal();
          while (!open[0]) {
            opened.awaitUninterruptibly();
          }
          for (int i = 0; i < ITEMS; i++) {
            total[0] += value;
          }
        } finally {
          lock.unlock();
        }
      });
      thread.start();
      threads.add(thread);
    }
    lock.lock();
    try {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_MILLIS);
      while (waiting[0] < threadsCount) {
        Check.that(allWaiting.awaitNanos(deadline - System.nanoTime()) > 0 || waiting[0] == threadsCount,
            "only " + waiting[0] + " threads reached the condition");
      }
      open[0] = true;
      opened.signalAll();
    } finally {
      lock.unlock();
    }
    Check.joinAll(threads, JOIN_MILLIS, "ReentrantLock/Condition threads");
    long expected = (long) ITEMS * threadsCount * (threadsCount + 1) / 2;
    lock.lock();
    try {
      Check.println("ReentrantLock+Condition total=" + total[0] + " expected=" + expected);
      Check.equal(expected, total[0], "lock-guarded total");
    } finally {
      lock.unlock();
    }
  }

  private static void latch() throws Exception {
    int count = 2 * PAIRS;
    CountDownLatch ready = new CountDownLatch(count);
    CountDownLatch go = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(count);
    AtomicLong sum = new AtomicLong();
    for (int t = 1; t <= count; t++) {
      long value = t;
      new Thread(() -> {
        ready.countDown();
        try {
          go.await();
          sum.addAndGet(value);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        done.countDown();
      }).start();
    }
    Check.that(ready.await(JOIN_MILLIS, TimeUnit.MILLISECONDS), "CountDownLatch: threads did not get ready");
    go.countDown();
    Check.that(done.await(JOIN_MILLIS, TimeUnit.MILLISECONDS), "CountDownLatch: threads did not finish");
    long expected = (long) count * (count + 1) / 2;
    Check.println("CountDownLatch sum=" + sum.get() + " expected=" + expected);
    Check.equal(expected, sum.get(), "latch sum");
  }

  /** 100 threads through a Semaphore of 5 permits: never more than 5 inside. */
  private static void semaphore() throws Exception {
    Semaphore permits = new Semaphore(5);
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger maxInside = new AtomicInteger();
    AtomicInteger passed = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 2 * PAIRS; t++) {
      Thread thread = new Thread(() -> {
        try {
          for (int i = 0; i < 5; i++) {
            permits.acquire();
            try {
              maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
              Thread.sleep(1);
              passed.incrementAndGet();
            } finally {
              inside.decrementAndGet();
              permits.release();
            }
          }
        } catch (InterruptedException e) {
          failures.incrementAndGet();
        }
      });
      thread.start();
      threads.add(thread);
    }
    Check.joinAll(threads, JOIN_MILLIS, "Semaphore threads");
    Check.println("Semaphore passed=" + passed.get() + " max-inside=" + maxInside.get());
    Check.equal(0, failures.get(), "semaphore failures");
    Check.equal(2L * PAIRS * 5, passed.get(), "semaphore passes");
    Check.that(maxInside.get() <= 5, "more than 5 threads held the semaphore's 5 permits: " + maxInside.get());
    Check.equal(5, permits.availablePermits(), "permits left");
  }

  /** 1,000 tasks that each sum a range, some sleeping, on the given pool. */
  private static void pool(String name, ExecutorService pool) throws Exception {
    List<Future<Long>> futures = new ArrayList<>();
    for (int t = 0; t < ITEMS; t++) {
      long from = (long) t * 100;
      Callable<Long> task = () -> {
        if (from % 1_000 == 0) {
          Thread.sleep(2);
        }
        long s = 0;
        for (long i = from + 1; i <= from + 100; i++) {
          s += i;
        }
        return s;
      };
      futures.add(pool.submit(task));
    }
    long sum = 0;
    for (Future<Long> f : futures) {
      sum += f.get(JOIN_MILLIS, TimeUnit.MILLISECONDS);
    }
    pool.shutdown();
    Check.that(pool.awaitTermination(JOIN_MILLIS, TimeUnit.MILLISECONDS), name + " pool did not terminate");
    long n = (long) ITEMS * 100;
    long expected = n * (n + 1) / 2;
    Check.println("pool " + name + " sum=" + sum + " expected=" + expected);
    Check.equal(expected, sum, name + " pool sum");
  }

  private static void scheduled() throws Exception {
    ScheduledExecutorService pool = Executors.newScheduledThreadPool(2);
    List<ScheduledFuture<Integer>> futures = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      int value = i;
      futures.add(pool.schedule(() -> value, i % 10, TimeUnit.MILLISECONDS));
    }
    AtomicInteger ticks = new AtomicInteger();
    CountDownLatch ticked = new CountDownLatch(5);
    ScheduledFuture<?> periodic = pool.scheduleAtFixedRate(() -> {
      ticks.incrementAndGet();
      ticked.countDown();
    }, 0, 5, TimeUnit.MILLISECONDS);
    long sum = 0;
    for (ScheduledFuture<Integer> f : futures) {
      sum += f.get(JOIN_MILLIS, TimeUnit.MILLISECONDS);
    }
    Check.that(ticked.await(JOIN_MILLIS, TimeUnit.MILLISECONDS), "the periodic task ran only " + ticks.get() + " times");
    periodic.cancel(false);
    pool.shutdown();
    Check.that(pool.awaitTermination(JOIN_MILLIS, TimeUnit.MILLISECONDS), "scheduled pool did not terminate");
    Check.println("pool scheduled sum=" + sum + " expected=5050 periodic>=5");
    Check.equal(5050, sum, "scheduled sum");
  }

  private static void completableFuture() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<CompletableFuture<Long>> parts = new ArrayList<>();
    for (int p = 0; p < 100; p++) {
      long from = (long) p * 1_000;
      parts.add(CompletableFuture.supplyAsync(() -> {
        long s = 0;
        for (long i = from + 1; i <= from + 1_000; i++) {
          s += i;
        }
        return s;
      }, pool));
    }
    CompletableFuture<Long> total = CompletableFuture.completedFuture(0L);
    for (CompletableFuture<Long> part : parts) {
      total = total.thenCombineAsync(part, Long::sum, pool);
    }
    long sum = total.get(JOIN_MILLIS, TimeUnit.MILLISECONDS);
    pool.shutdown();
    Check.that(pool.awaitTermination(JOIN_MILLIS, TimeUnit.MILLISECONDS), "CompletableFuture pool did not terminate");
    long n = 100_000;
    long expected = n * (n + 1) / 2;
    Check.println("CompletableFuture sum=" + sum + " expected=" + expected);
    Check.equal(expected, sum, "CompletableFuture sum");
  }
}

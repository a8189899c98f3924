package gevent4j.it.apps;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code synchronized}, {@code wait} and {@code notify} under contention.
 *
 * <ul>
 *   <li>counter: 200 threads increment one counter 10,000 times each inside {@code synchronized};
 *       some increments yield or sleep while holding the monitor, so that on a single carrier the
 *       other threads really do block on monitor entry.
 *   <li>pingpong: two threads alternate 10,000 turns each with {@code wait}/{@code notify}.
 *   <li>buffer: a bounded buffer guarded by {@code synchronized}, 20 producers and 20 consumers
 *       using {@code wait}/{@code notifyAll}; the sum of what was taken must equal what was put.
 * </ul>
 *
 * <p>Prints {@code counter=<n> expected=<n>}, {@code pingpong turns=<n>},
 * {@code buffer sum=<n> expected=<n>} and {@code SYNC_APP OK}.
 */
public final class SyncApp {
  private static final int THREADS = 200;
  private static final int INCREMENTS = 10_000;
  private static final int TURNS = 10_000;
  private static final int PRODUCERS = 20;
  private static final int ITEMS_PER_PRODUCER = 2_000;

  private static final Object LOCK = new Object();
  private static long counter;

  private SyncApp() {}

  public static void main(String[] args) throws Exception {
    counter();
    pingPong();
    boundedBuffer();
    Check.println("SYNC_APP OK");
  }

  private static void counter() throws Exception {
    AtomicInteger failures = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      Thread thread = new Thread(() -> {
        try {
          for (int i = 0; i < INCREMENTS; i++) {
            synchronized (LOCK) {
              long before = counter;
              if (i % 1_000 == 0) {
                Thread.yield();
              }
              if (i % 5_000 == 1) {
                Thread.sleep(1);
              }
              counter = before + 1;
            }
          }
        } catch (InterruptedException e) {
          failures.incrementAndGet();
        }
      });
      thread.start();
      threads.add(thread);
    }
    Check.joinAll(threads, 120_000, "counter threads");
    long expected = (long) THREADS * INCREMENTS;
    synchronized (LOCK) {
      Check.println("counter=" + counter + " expected=" + expected);
      Check.equal(expected, counter, "synchronized counter");
    }
    Check.equal(0, failures.get(), "interrupted counter threads");
  }

  private static final class Table {
    int turn;
    int turns;
  }

  private static void pingPong() throws Exception {
    Table table = new Table();
    AtomicInteger failures = new AtomicInteger();
    List<Thread> players = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      int me = p;
      Thread player = new Thread(() -> {
        try {
          for (int i = 0; i < TURNS; i++) {
            synchronized (table) {
              while (table.turn != me) {
                table.wait();
              }
              table.turns++;
              table.turn = 1 - me;
              table.notify();
            }
          }
        } catch (InterruptedException e) {
          failures.incrementAndGet();
        }
      });
      player.start();
      players.add(player);
    }
    Check.joinAll(players, 120_000, "ping-pong players");
    synchronized (table) {
      Check.println("pingpong turns=" + table.turns);
      Check.equal(2L * TURNS, table.turns, "ping-pong turns");
    }
    Check.equal(0, failures.get(), "interrupted players");
  }

  private static final class Buffer {
    private final Deque<Long> items = new ArrayDeque<>();
    private final int capacity = 8;

    synchronized void put(long item) throws InterruptedException {
      while (items.size() == capacity) {
        wait();
      }
      items.addLast(item);
      notifyAll();
    }

    synchronized long take() throws InterruptedException {
      while (items.isEmpty()) {
        wait();
      }
      long item = items.removeFirst();
      notifyAll();
      return item;
    }
  }

  private static void boundedBuffer() throws Exception {
    Buffer buffer = new Buffer();
    AtomicLong taken = new AtomicLong();
    AtomicInteger failures = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) {
      int base = p * ITEMS_PER_PRODUCER;
      Thread producer = new Thread(() -> {
        try {
          for (int i = 1; i <= ITEMS_PER_PRODUCER; i++) {
            buffer.put(base + i);
          }
        } catch (InterruptedException e) {
          failures.incrementAndGet();
        }
      });
      Thread consumer = new Thread(() -> {
        try {
          for (int i = 0; i < ITEMS_PER_PRODUCER; i++) {
            taken.addAndGet(buffer.take());
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
    Check.joinAll(threads, 120_000, "bounded buffer producers and consumers");
    long n = (long) PRODUCERS * ITEMS_PER_PRODUCER;
    long expected = n * (n + 1) / 2;
    Check.println("buffer sum=" + taken.get() + " expected=" + expected);
    Check.equal(expected, taken.get(), "bounded buffer sum");
    Check.equal(0, failures.get(), "interrupted buffer threads");
  }
}

package gevent4j.it.apps;

import gevent4j.Greenlet;
import gevent4j.Monitor;
import gevent4j.events.EventLoopBlocked;
import gevent4j.events.Events;
import gevent4j.events.MemoryUsageThresholdExceeded;
import gevent4j.events.MemoryUsageUnderThreshold;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Blocks the Hub, or keeps it busy, in the way named by its argument, for the monitor thread
 * ({@code monitor_thread=true}) to report; prints every monitor event it receives as
 * {@code EVENT <name> ...} and ends with {@code MONITOR_APP OK}.
 * <ul>
 *   <li>{@code spin}: a greenlet computes for 1.5 s without yielding;</li>
 *   <li>{@code native}: a greenlet calls libc {@code usleep} for 1.5 s through JNR (an unpatched native call);</li>
 *   <li>{@code clinit}: a greenlet initialises a class whose static initialiser sleeps 1.5 s;</li>
 *   <li>{@code busy}: 100 greenlets hand work to each other for 1.5 s: busy, but switching;</li>
 *   <li>{@code memory}: allocates and touches 512 MB off-heap, holds it 4 s, frees it, waits 4 s;</li>
 *   <li>{@code function}: a user function added with {@code Monitor.addPeriodicFunction} runs.</li>
 * </ul>
 */
public final class MonitorApp {

  private static final long BLOCK_MILLIS = 1_500;
  static volatile long sink;

  public static void main(String[] args) throws Exception {
    Events.subscribe(event -> {
      switch (event) {
        case EventLoopBlocked b -> System.out.println("EVENT EventLoopBlocked greenlet=" + b.greenlet()
            + " blockedForMs=" + b.blockedFor().toMillis() + " top=" + topAppFrame(b.stack()));
        case MemoryUsageThresholdExceeded m -> System.out.println("EVENT MemoryUsageThresholdExceeded usage="
            + m.memoryUsage() + " max=" + m.maxMemoryUsage() + " heapUsed=" + m.memory().heapUsed());
        case MemoryUsageUnderThreshold m -> System.out.println("EVENT MemoryUsageUnderThreshold usage="
            + m.memoryUsage() + " max=" + m.maxMemoryUsage());
        default -> { }
      }
    });
    if (args.length > 1 && args[1].equals("off")) {
      Check.that(!Monitor.running(), "the monitor thread runs although monitor_thread=false");
      try {
        Monitor.addPeriodicFunction(Duration.ofSeconds(1), () -> { });
        Check.fail("addPeriodicFunction accepted a function without a monitor");
      } catch (IllegalStateException expected) {
        Check.that(expected.getMessage().contains("monitor_thread=true"), "unclear message: " + expected.getMessage());
      }
      System.out.println("monitor off: the monitor thread is not running");
    } else {
      Check.that(Monitor.running(), "the monitor thread is not running");
    }
    switch (args[0]) {
      case "spin" -> inGreenlet("spinner", MonitorApp::spin);
      case "native" -> {
        LibC libc = jnr.ffi.LibraryLoader.create(LibC.class).load("c"); // binding made before: only the call blocks
        inGreenlet("native-caller", () -> nativeSleep(libc));
      }
      case "clinit" -> inGreenlet("initialiser", () -> sink = SlowInit.VALUE);
      case "busy" -> busy();
      case "memory" -> memory();
      case "function" -> function();
      default -> Check.fail("unknown mode " + args[0]);
    }
    Thread.sleep(500); // let a late report come out before exiting
    System.out.println("MONITOR_APP OK");
  }

  private static void inGreenlet(String name, Runnable body) throws Exception {
    Thread t = new Thread(body, name);
    t.start();
    t.join();
  }

  static void spin() {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BLOCK_MILLIS);
    long x = 0;
    while (System.nanoTime() < end) {
      x += x * 31 + 7;
    }
    sink = x;
  }

  /** libc's usleep through JNR-FFI: the agent cannot see into it. */
  public interface LibC {
    int usleep(int micros);
  }

  static void nativeSleep(LibC libc) {
    libc.usleep((int) TimeUnit.MILLISECONDS.toMicros(BLOCK_MILLIS));
  }

  static final class SlowInit {
    static final long VALUE;

    static {
      try {
        Thread.sleep(BLOCK_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      VALUE = 42;
    }

    private SlowInit() {}
  }

  private static void busy() throws Exception {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BLOCK_MILLIS);
    AtomicInteger handOffs = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int pair = 0; pair < 50; pair++) {
      SynchronousQueue<Integer> q = new SynchronousQueue<>();
      threads.add(new Thread(() -> {
        try {
          while (System.nanoTime() < end) {
            q.put(1);
          }
          q.put(-1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
      threads.add(new Thread(() -> {
        try {
          while (q.take() > 0) {
            handOffs.incrementAndGet();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    Check.that(handOffs.get() > 0, "no hand-offs");
    System.out.println("busy hand-offs done");
  }

  private static void memory() throws Exception {
    long size = 512L << 20;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment block = arena.allocate(size);
      for (long i = 0; i < size; i += 4096) {
        block.set(ValueLayout.JAVA_BYTE, i, (byte) 1);
      }
      System.out.println("allocated");
      Thread.sleep(4_000);
    }
    System.out.println("freed");
    Thread.sleep(4_000);
  }

  private static void function() throws Exception {
    CountDownLatch ran = new CountDownLatch(3);
    try (AutoCloseable f = Monitor.addPeriodicFunction(Duration.ofMillis(20), ran::countDown)) {
      Check.that(ran.await(30, TimeUnit.SECONDS), "the periodic function did not run three times");
    }
    System.out.println("periodic function ran");
    Greenlet.spawn(() -> { }).join();
  }

  private static String topAppFrame(List<StackTraceElement> stack) {
    for (StackTraceElement f : stack) {
      if (f.getClassName().startsWith(MonitorApp.class.getName()) && !f.getClassName().contains("$jnr$")) {
        return f.getClassName().substring(f.getClassName().lastIndexOf('.') + 1) + "." + f.getMethodName();
      }
    }
    return "none";
  }
}

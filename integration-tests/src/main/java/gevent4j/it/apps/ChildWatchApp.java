package gevent4j.it.apps;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Many child processes, each started and waited for by a thread of its own (a greenlet under the
 * agent), with every way the JDK reports an exit. Usage: {@code ChildWatchApp <children>}. Every
 * child is started by a thread the application creates (a greenlet), none by {@code main}.
 *
 * <ol>
 *   <li>{@code <children>} threads each start {@code sh -c 'read x; ...'}: a child that stays
 *   alive until its stdin closes or it is killed. With all of them alive, the process's OS threads
 *   ({@code /proc/self/task}) and those named "process reaper" (the JDK's per-child reaper) are
 *   counted: {@code alive children=<n> threads=<n> reapers=<n>}.</li>
 *   <li>Then each thread ends its child one way (stdin closed, then exit code {@code i*7 % 256};
 *   {@code destroy()}: SIGTERM; {@code destroyForcibly()}: SIGKILL; an exit after a line on
 *   stdout, read to the end) and waits another way ({@code waitFor()}, {@code waitFor(timeout)}
 *   in a loop, {@code onExit().get()}, {@code toHandle().onExit().get()}), and checks
 *   {@code exitValue()}, {@code isAlive()} and the {@code onExit()} futures against the exit status
 *   the JDK documents: the code, or 128 + the signal number. A ticker thread counts 1 ms sleeps
 *   meanwhile: {@code exits ok=<n> ticked=<bool>}.</li>
 *   <li>A child that exits while its output pipe is still held by a grandchild and read by a
 *   blocked thread: the JDK's reaper then waits for that reader's stream monitor, and
 *   {@code waitFor()} must still return ({@code held stream: exit=5 reader blocked=true}), then the
 *   read ends when the grandchild is killed ({@code held stream: reader got end of stream}).</li>
 *   <li>A child started behind the JDK's back ({@code posix_spawn} through the FFM API), which
 *   exits while the others are being reaped: it must still be waitable by its owner at the end
 *   ({@code foreign child: waitpid status=7}). Needs {@code --enable-native-access=ALL-UNNAMED}.</li>
 * </ol>
 * Ends with {@code done}; any failure prints {@code FAIL <reason>} and exits 1.
 */
public final class ChildWatchApp {
  private static final AtomicLong TICKS = new AtomicLong();
  private static final AtomicInteger OK = new AtomicInteger();
  private static volatile boolean ticking = true;
  private static final int SIGTERM = 15;
  private static final int SIGKILL = 9;
  /** The five ways a child ends, by index modulo five. */
  private static final int EXIT_CODE = 0;
  private static final int EXIT_CODE_TIMED_WAITS = 1;
  private static final int TERMINATED = 2;
  private static final int KILLED = 3;
  private static final int OUTPUT_THEN_EXIT = 4;

  private ChildWatchApp() {}

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    // Everything on a thread of the application's own (a greenlet under the agent): main itself
    // stays a platform thread, and so do the children it starts.
    Thread driver = new Thread(() -> {
      try {
        drive(n);
      } catch (Throwable e) {
        Check.fail("driver", e);
      }
    });
    driver.start();
    driver.join();
  }

  private static void drive(int n) throws Throwable {
    // The first child pays for the JDK's process launcher (and the agent's first use) alone.
    Check.equal(0, new ProcessBuilder("true").start().waitFor(), "exit code of true");

    Thread ticker = new Thread(() -> {
      while (ticking) {
        TICKS.incrementAndGet();
        sleepMillis(1);
      }
    });
    ticker.start();

    CountDownLatch started = new CountDownLatch(n);
    CountDownLatch release = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      int id = i;
      Thread t = new Thread(() -> {
        try {
          runChild(id, started, release);
        } catch (Throwable e) {
          Check.fail("child " + id, e);
        }
      });
      t.start();
      threads.add(t);
    }
    if (!started.await(120, TimeUnit.SECONDS)) {
      Check.fail("only " + (n - started.getCount()) + " of " + n + " children started within 120 s");
    }
    long t1 = System.nanoTime();
    long[] counts = threadCounts();
    Check.println("alive children=" + n + " threads=" + counts[0] + " reapers=" + counts[1]);

    long spawned = spawnForeignChild("exit 7");
    long ticksBefore = TICKS.get();
    release.countDown();
    Check.joinAll(threads, 120_000, "children not waited for");
    long t2 = System.nanoTime();
    Check.println("exits ok=" + OK.get() + " ticked=" + (TICKS.get() > ticksBefore));
    System.out.printf("timing: started %d children in %.0f ms, all exited and waited for in %.0f ms%n",
        n, (t1 - t0) / 1e6, (t2 - t1) / 1e6);

    heldStream();

    ProcessHandle foreign = ProcessHandle.of(spawned).orElse(null);
    Check.that(foreign != null, "the foreign child " + spawned + " is gone: someone reaped it");
    // Not a JDK child: the JDK only watches it without reaping (waitid with WNOWAIT).
    foreign.onExit().get(120, TimeUnit.SECONDS);
    Check.println("foreign child: waitpid status=" + waitpid(spawned));

    ticking = false;
    ticker.join();
    Check.println("done");
  }

  private static void runChild(int id, CountDownLatch started, CountDownLatch release) throws Exception {
    int kind = id % 5;
    int code = kind == OUTPUT_THEN_EXIT ? 3 : id * 7 % 256;
    String script = kind == OUTPUT_THEN_EXIT ? "read x; echo out-" + id + "; exit 3" : "read x; exit " + code;
    ProcessBuilder builder = new ProcessBuilder("sh", "-c", script).redirectError(ProcessBuilder.Redirect.DISCARD);
    if (kind != OUTPUT_THEN_EXIT) {
      builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }
    Process child = builder.start();
    started.countDown();
    release.await();
    int expected;
    switch (kind) {
      case EXIT_CODE -> {
        child.getOutputStream().close();
        expected = code;
        Check.equal(expected, child.waitFor(), "child " + id + " waitFor()");
      }
      case EXIT_CODE_TIMED_WAITS -> {
        child.getOutputStream().close();
        expected = code;
        while (!child.waitFor(5, TimeUnit.MILLISECONDS)) {
          // Timed waits on the Hub's timers until the exit arrives, however long that takes.
        }
      }
      case TERMINATED -> {
        child.destroy();
        expected = 128 + SIGTERM;
        Check.that(child.onExit().get(120, TimeUnit.SECONDS) == child, "child " + id + ": onExit() of another process");
      }
      case KILLED -> {
        child.destroyForcibly();
        expected = 128 + SIGKILL;
        ProcessHandle handle = child.toHandle().onExit().get(120, TimeUnit.SECONDS);
        Check.that(handle.pid() == child.pid() && !handle.isAlive(), "child " + id + ": handle onExit()");
        Check.equal(expected, child.waitFor(), "child " + id + " waitFor() after its handle's onExit()");
      }
      default -> {
        child.getOutputStream().close();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        Check.that(out.equals("out-" + id), "child " + id + " printed '" + out + "'");
        expected = code;
        Check.equal(expected, child.waitFor(), "child " + id + " waitFor()");
      }
    }
    Check.equal(expected, child.exitValue(), "child " + id + " (kind " + kind + ") exitValue()");
    Check.that(!child.isAlive(), "child " + id + ": isAlive() after its exit");
    Check.that(child.onExit().get(120, TimeUnit.SECONDS) == child, "child " + id + ": onExit() after its exit");
    Check.that(!child.toHandle().isAlive(), "child " + id + ": handle isAlive() after its exit");
    OK.incrementAndGet();
  }

  /**
   * A child whose stdout stays open after it exits (a grandchild holds it), with a thread blocked
   * reading it: inside the stream's monitor, which the JDK's reaper takes when the child exits.
   */
  private static void heldStream() throws Exception {
    Process child = new ProcessBuilder("sh", "-c", "sleep 1000 & echo $!; read x; exit 5")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    InputStream out = child.getInputStream();
    StringBuilder line = new StringBuilder();
    for (int c = out.read(); c != '\n'; c = out.read()) {
      Check.that(c >= 0, "no grandchild pid from the held-stream child");
      line.append((char) c);
    }
    long grandchild = Long.parseLong(line.toString().trim());
    AtomicInteger last = new AtomicInteger(Integer.MIN_VALUE);
    Thread reader = new Thread(() -> {
      try {
        last.set(out.read());
      } catch (IOException e) {
        last.set(-2);
      }
    });
    reader.start();
    // Inside FileInputStream.read, the reader holds the monitor of the JDK's stream (its read
    // methods are synchronized); only then may the child exit.
    while (Stream.of(reader.getStackTrace()).noneMatch(f -> f.getClassName().equals("java.io.FileInputStream"))) {
      Check.that(reader.isAlive(), "the held-stream reader returned early: " + last.get());
      sleepMillis(1);
    }
    child.getOutputStream().close();
    int exit = child.waitFor();
    boolean blocked = reader.isAlive();
    Check.println("held stream: exit=" + exit + " reader blocked=" + blocked);
    ProcessHandle.of(grandchild).ifPresent(ProcessHandle::destroyForcibly);
    reader.join(120_000);
    Check.that(!reader.isAlive(), "the held-stream reader never returned");
    Check.println(last.get() == -1 ? "held stream: reader got end of stream" : "held stream: reader got " + last.get());
  }

  /** OS threads of this process, and how many of them are the JDK's process reapers. */
  private static long[] threadCounts() throws IOException {
    long threads = 0;
    long reapers = 0;
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : tasks.toList()) {
        threads++;
        try {
          if (Files.readString(task.resolve("comm")).startsWith("process reaper")) {
            reapers++;
          }
        } catch (IOException ended) {
          // the thread ended meanwhile
        }
      }
    }
    return new long[] {threads, reapers};
  }

  // ---- a child the JDK knows nothing about: posix_spawn and waitpid through the FFM API --------

  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIBC = LINKER.defaultLookup();

  /** {@code /bin/sh -c <script>} started with posix_spawn: not a JDK child. Returns its pid. */
  private static long spawnForeignChild(String script) throws Throwable {
    MethodHandle spawn = LINKER.downcallHandle(LIBC.find("posix_spawn").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    try (Arena arena = Arena.ofConfined()) {
      String[] argv = {"sh", "-c", script};
      MemorySegment args = arena.allocate(ValueLayout.ADDRESS, argv.length + 1);
      for (int i = 0; i < argv.length; i++) {
        args.setAtIndex(ValueLayout.ADDRESS, i, arena.allocateFrom(argv[i]));
      }
      args.setAtIndex(ValueLayout.ADDRESS, argv.length, MemorySegment.NULL);
      MemorySegment env = arena.allocate(ValueLayout.ADDRESS, 1);
      env.setAtIndex(ValueLayout.ADDRESS, 0, MemorySegment.NULL);
      MemorySegment pid = arena.allocate(ValueLayout.JAVA_INT);
      int rc = (int) spawn.invokeExact(pid, arena.allocateFrom("/bin/sh"), MemorySegment.NULL, MemorySegment.NULL,
          args, env);
      Check.equal(0, rc, "posix_spawn");
      return pid.get(ValueLayout.JAVA_INT, 0);
    }
  }

  /** {@code waitpid(pid, &status, 0)}: the exit code, or {@code FAIL} when it cannot be reaped. */
  private static int waitpid(long pid) throws Throwable {
    MethodHandle waitpid = LINKER.downcallHandle(LIBC.find("waitpid").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment status = arena.allocate(ValueLayout.JAVA_INT);
      int reaped = (int) waitpid.invokeExact((int) pid, status, 0);
      Check.equal(pid, reaped, "waitpid of the foreign child (-1: someone else reaped it)");
      int raw = status.get(ValueLayout.JAVA_INT, 0);
      Check.that((raw & 0x7f) == 0, "the foreign child did not exit normally: status " + raw);
      return (raw >> 8) & 0xff;
    }
  }

  private static void sleepMillis(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package gevent4j.it.apps;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * File and pipe streams from many threads: regular files written and read back byte for byte,
 * and a pipe to a child process that only starts reading after a second, written full while
 * another thread keeps ticking (a write that blocked every thread would stop the ticks).
 *
 * <p>Prints {@code files verified=<n>}, {@code pipe bytes=<n> ticks-during-write=<n>} and
 * {@code FILE_IO_APP OK}.
 */
public final class FileIoApp {
  private static final int THREADS = 50;
  private static final int FILES_PER_THREAD = 4;
  private static final int FILE_SIZE = 64 * 1024;
  private static final int PIPE_BYTES = 1 << 20;

  private FileIoApp() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("fileio");
    AtomicInteger verified = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int id = t;
      Thread thread = new Thread(() -> {
        try {
          for (int f = 0; f < FILES_PER_THREAD; f++) {
            byte[] content = new byte[FILE_SIZE];
            Arrays.fill(content, (byte) (id * 7 + f));
            Path file = dir.resolve("t" + id + "-" + f);
            try (FileOutputStream out = new FileOutputStream(file.toFile())) {
              out.write(content, 0, FILE_SIZE / 2);
              out.write(content[0]);
              out.write(Arrays.copyOfRange(content, FILE_SIZE / 2 + 1, FILE_SIZE));
            }
            byte[] back = new byte[FILE_SIZE];
            int n = 0;
            try (FileInputStream in = new FileInputStream(file.toFile())) {
              int r;
              while (n < FILE_SIZE && (r = in.read(back, n, FILE_SIZE - n)) > 0) {
                n += r;
              }
              Check.that(in.read() == -1, "file longer than written");
            }
            Check.that(n == FILE_SIZE && Arrays.equals(content, back), "file " + file + " differs");
            verified.incrementAndGet();
          }
        } catch (Throwable e) {
          failures.incrementAndGet();
          e.printStackTrace();
        }
      });
      thread.start();
      threads.add(thread);
    }
    Check.joinAll(threads, 120_000, "file threads");
    Check.equal(0, failures.get(), "file failures");
    Check.println("files verified=" + verified.get());

    Process child = new ProcessBuilder("sh", "-c", "sleep 1; wc -c").start();
    AtomicInteger ticks = new AtomicInteger();
    AtomicInteger writing = new AtomicInteger(1);
    Thread ticker = new Thread(() -> {
      while (writing.get() == 1) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
        ticks.incrementAndGet();
      }
    });
    ticker.start();
    Thread writer = new Thread(() -> {
      try (OutputStream out = child.getOutputStream()) {
        byte[] chunk = new byte[8192];
        for (int sent = 0; sent < PIPE_BYTES; sent += chunk.length) {
          out.write(chunk);
        }
      } catch (Throwable e) {
        failures.incrementAndGet();
        e.printStackTrace();
      }
    });
    int before = ticks.get();
    writer.start();
    writer.join(60_000);
    int during = ticks.get() - before;
    writing.set(0);
    ticker.join(10_000);
    String counted = new String(child.getInputStream().readAllBytes()).trim();
    Check.equal(0, child.waitFor(), "child exit");
    Check.equal(0, failures.get(), "pipe failures");
    Check.that(counted.equals(Integer.toString(PIPE_BYTES)), "child counted " + counted);
    // The child reads nothing for a second; a thread that kept running meanwhile ticked ~50 times.
    Check.that(during >= 5, "the ticker stalled while the pipe was full: " + during + " ticks");
    Check.println("pipe bytes=" + counted + " ticked=" + (during >= 5));
    Check.println("FILE_IO_APP OK");
  }
}

package gevent4j.it.apps;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
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
            // The same bytes through RandomAccessFile, read back with positional FileChannel reads.
            Path raf = dir.resolve("r" + id + "-" + f);
            try (RandomAccessFile out = new RandomAccessFile(raf.toFile(), "rw")) {
              out.write(content[0]);
              out.write(content, 1, FILE_SIZE - 2);
              out.write(new byte[] {content[FILE_SIZE - 1]});
            }
            ByteBuffer buffer = ByteBuffer.allocate(FILE_SIZE);
            try (FileChannel in = FileChannel.open(raf)) {
              while (buffer.hasRemaining() && in.read(buffer, buffer.position()) > 0) {
                // positional reads until full
              }
            }
            Check.that(Arrays.equals(content, buffer.array()), "random-access file " + raf + " differs");
            verified.addAndGet(2);
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

    // A FileChannel read of a FIFO that stays empty for a second (opened read-write, which never
    // blocks in open on Linux): other threads must keep running meanwhile.
    Path fifo = dir.resolve("fifo");
    Check.equal(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(), "mkfifo");
    try (FileChannel channel = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      AtomicInteger fifoTicks = new AtomicInteger();
      AtomicInteger reading = new AtomicInteger(1);
      Thread fifoTicker = new Thread(() -> {
        while (reading.get() == 1) {
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            return;
          }
          fifoTicks.incrementAndGet();
        }
      });
      fifoTicker.start();
      Process feeder = new ProcessBuilder("sh", "-c", "sleep 1; printf fifo-data > " + fifo).start();
      String[] got = new String[1];
      Thread reader = new Thread(() -> {
        try {
          ByteBuffer buffer = ByteBuffer.allocate(64);
          channel.read(buffer);
          got[0] = new String(buffer.array(), 0, buffer.position());
        } catch (Throwable e) {
          failures.incrementAndGet();
          e.printStackTrace();
        }
      });
      reader.start();
      reader.join(60_000);
      reading.set(0);
      fifoTicker.join(10_000);
      Check.equal(0, feeder.waitFor(), "fifo feeder exit");
      Check.that("fifo-data".equals(got[0]), "fifo read " + got[0]);
      Check.that(fifoTicks.get() >= 5, "the ticker stalled while a FileChannel read waited: " + fifoTicks.get() + " ticks");
      Check.println("fifo read=" + got[0] + " ticked=true");
    }
    Check.println("FILE_IO_APP OK");
  }
}

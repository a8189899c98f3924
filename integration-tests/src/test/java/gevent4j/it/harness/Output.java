package gevent4j.it.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One of a child's output streams, drained completely by a thread of its own so the child never
 * blocks on a full pipe. Waiters are woken on every chunk and once more at end of stream.
 */
final class Output {
  /** Failure messages keep this many characters from each end of a long output. */
  private static final int KEEP_CHARS = 12_000;

  private final StringBuilder text = new StringBuilder();
  private final Thread drainer;
  private boolean ended;
  private IOException failure;

  Output(InputStream stream, String name) {
    drainer = Thread.ofPlatform().daemon().name(name).unstarted(() -> drain(stream));
    drainer.start();
  }

  private void drain(InputStream stream) {
    char[] chunk = new char[8192];
    try (Reader reader = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
      for (int n; (n = reader.read(chunk)) >= 0; ) {
        synchronized (this) {
          text.append(chunk, 0, n);
          notifyAll();
        }
      }
    } catch (IOException e) {
      synchronized (this) {
        failure = e;
      }
    } finally {
      synchronized (this) {
        ended = true;
        notifyAll();
      }
    }
  }

  /** Everything read so far. */
  synchronized String text() {
    return text.toString();
  }

  /** Waits until the stream reached its end, at most {@code millis}; true if it did. */
  boolean awaitEnd(long millis) throws InterruptedException {
    drainer.join(millis);
    synchronized (this) {
      if (failure != null) {
        throw new UncheckedIOException("reading the child's output failed", failure);
      }
      return ended;
    }
  }

  /**
   * Waits for the first complete line that {@code test} accepts, or until the stream ends or the
   * deadline passes (both give an empty result).
   */
  synchronized Optional<String> awaitLine(Predicate<String> test, long deadlineNanos)
      throws InterruptedException {
    int scanned = 0;
    while (true) {
      int end;
      while ((end = text.indexOf("\n", scanned)) >= 0) {
        String line = text.substring(scanned, end);
        scanned = end + 1;
        if (line.endsWith("\r")) {
          line = line.substring(0, line.length() - 1);
        }
        if (test.test(line)) {
          return Optional.of(line);
        }
      }
      long left = deadlineNanos - System.nanoTime();
      if (ended || left <= 0) {
        return Optional.empty();
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** {@code s} itself, or its beginning and end with a marker saying how much was left out. */
  static String abbreviate(String s) {
    if (s.length() <= 2 * KEEP_CHARS) {
      return s;
    }
    return s.substring(0, KEEP_CHARS)
        + "\n[... " + (s.length() - 2 * KEEP_CHARS) + " characters left out ...]\n"
        + s.substring(s.length() - KEEP_CHARS);
  }
}

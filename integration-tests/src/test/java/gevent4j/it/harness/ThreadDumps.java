package gevent4j.it.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Thread dumps of a hung child JVM, for failure messages. */
public final class ThreadDumps {

  private ThreadDumps() {}

  /**
   * Writes {@code jcmd <pid> Thread.dump_to_file -format=text} (which, unlike Thread.print, shows
   * virtual threads: every greenlet) to target/it-dumps and returns " (thread dump: <file>)";
   * best effort.
   */
  public static String save(long pid) {
    try {
      Path dir = Files.createDirectories(Path.of("target", "it-dumps"));
      Path file = dir.resolve("threads-" + pid + ".txt").toAbsolutePath();
      Files.deleteIfExists(file);
      Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
          Long.toString(pid), "Thread.dump_to_file", "-format=text", file.toString())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!jcmd.waitFor(30, TimeUnit.SECONDS)) {
        jcmd.destroyForcibly();
      }
      return " (thread dump: " + file + ")";
    } catch (IOException | RuntimeException e) {
      return " (no thread dump: " + e + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}

package gevent4j.it.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The figures of {@code /proc/<pid>/status} the integration tests look at.
 *
 * @param threads OS threads of the process ({@code Threads:})
 * @param vmRssKb resident set size in KiB ({@code VmRSS:})
 * @param vmHwmKb peak resident set size in KiB ({@code VmHWM:})
 */
public record ProcStatus(int threads, long vmRssKb, long vmHwmKb) {

  /** The status of process {@code pid}, or empty if it is gone (or this is not Linux). */
  public static Optional<ProcStatus> read(long pid) {
    String text;
    try {
      text = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
    } catch (IOException e) {
      return Optional.empty();
    }
    int threads = -1;
    long rss = -1;
    long hwm = -1;
    for (String line : text.split("\n")) {
      if (line.startsWith("Threads:")) {
        threads = Integer.parseInt(value(line));
      } else if (line.startsWith("VmRSS:")) {
        rss = Long.parseLong(value(line));
      } else if (line.startsWith("VmHWM:")) {
        hwm = Long.parseLong(value(line));
      }
    }
    // A zombie has no VmRSS/VmHWM lines any more: treat it as gone.
    return threads < 0 || rss < 0 ? Optional.empty() : Optional.of(new ProcStatus(threads, rss, hwm));
  }

  /**
   * The soft "Max open files" limit of process {@code pid} from {@code /proc/<pid>/limits}, or -1
   * if it cannot be read; {@link Long#MAX_VALUE} for "unlimited".
   */
  public static long maxOpenFiles(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "limits"))) {
        if (line.startsWith("Max open files")) {
          String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
          return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /** "1234 kB" with its label removed: the first word after the colon. */
  private static String value(String line) {
    return line.substring(line.indexOf(':') + 1).trim().split("\\s+")[0];
  }
}

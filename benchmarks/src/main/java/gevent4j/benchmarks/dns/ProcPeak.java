package gevent4j.benchmarks.dns;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Runs a command (its output passed through) and samples its {@code /proc/<pid>/status} every
 * millisecond while it runs: the highest {@code Threads:} (the process's OS threads) and
 * {@code VmRSS:}, and the last {@code VmHWM:} (the kernel's own RSS peak). At the end prints
 * {@code RESULT peak_threads=<n> peak_rss_kb=<kB> hwm_kb=<kB> samples=<n> exit=<code>} and exits
 * with the command's status. The command must exec the JVM itself (no wrapper shell): the pid
 * sampled is the one started.
 *
 * <p>Usage: {@code ProcPeak -- command args...}
 */
public final class ProcPeak {
  private ProcPeak() {}

  public static void main(String[] args) throws Exception {
    int dash = Arrays.asList(args).indexOf("--");
    List<String> command = Arrays.asList(args).subList(dash + 1, args.length);
    if (command.isEmpty()) {
      System.err.println("usage: ProcPeak -- command args...");
      System.exit(2);
    }
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    Thread pump = new Thread(() -> {
      try (InputStream in = p.getInputStream()) {
        in.transferTo(System.out);
      } catch (IOException ignored) {
        // the process is gone
      }
    });
    pump.start();
    Path status = Path.of("/proc", Long.toString(p.pid()), "status");
    long peakThreads = -1;
    long peakRss = -1;
    long hwm = -1;
    long samples = 0;
    while (p.isAlive()) {
      try {
        for (String line : Files.readAllLines(status)) {
          if (line.startsWith("Threads:")) {
            peakThreads = Math.max(peakThreads, value(line));
          } else if (line.startsWith("VmRSS:")) {
            peakRss = Math.max(peakRss, value(line));
          } else if (line.startsWith("VmHWM:")) {
            hwm = Math.max(hwm, value(line));
          }
        }
        samples++;
      } catch (IOException | RuntimeException gone) {
        break; // exited between isAlive and the read, or a zombie without memory lines
      }
      Thread.sleep(1);
    }
    int exit = p.waitFor();
    pump.join();
    System.out.flush();
    System.out.println("RESULT peak_threads=" + peakThreads + " peak_rss_kb=" + peakRss + " hwm_kb=" + hwm
        + " samples=" + samples + " exit=" + exit);
    System.exit(exit);
  }

  private static long value(String line) {
    return Long.parseLong(line.replaceAll("[^0-9]", ""));
  }
}

package gevent4j.benchmarks.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One reading of {@code /proc/<pid>/status}: the process's OS threads ({@code Threads:}), its
 * resident set ({@code VmRSS:}) and the kernel's own RSS high-water mark ({@code VmHWM:}), in kB.
 */
public record ProcStatus(long threads, long rssKb, long hwmKb) {

    /** Reads the status of a live process; throws when it is gone (or a zombie without memory lines). */
    public static ProcStatus read(long pid) throws IOException {
        long threads = -1;
        long rss = -1;
        long hwm = -1;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("Threads:")) {
                threads = number(line);
            } else if (line.startsWith("VmRSS:")) {
                rss = number(line);
            } else if (line.startsWith("VmHWM:")) {
                hwm = number(line);
            }
        }
        if (threads < 0 || rss < 0) {
            throw new IOException("process " + pid + " has no Threads/VmRSS line (exited?)");
        }
        return new ProcStatus(threads, rss, hwm);
    }

    public double rssMb() {
        return rssKb / 1024.0;
    }

    private static long number(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}

package gevent4j.hub;

import gevent4j.events.ProcessMemory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's memory figures. "Memory usage" for {@code max_memory_usage} is the resident set
 * size (RSS): what the kernel and a container's memory limit count, heap and everything else
 * (thread stacks, metaspace, direct buffers, native loops) together. It is read from
 * {@code /proc/self/status} ({@code VmRSS}); where that does not exist RSS is -1 and memory is
 * not watched.
 */
class MemoryReader {

    private static final Path STATUS = Path.of("/proc/self/status");

    /** True when RSS can be read here. */
    boolean available() {
        return rss() >= 0;
    }

    ProcessMemory read() {
        MemoryMXBean bean = ManagementFactory.getMemoryMXBean();
        MemoryUsage heap = bean.getHeapMemoryUsage();
        MemoryUsage nonHeap = bean.getNonHeapMemoryUsage();
        return new ProcessMemory(rss(), heap.getUsed(), heap.getCommitted(), heap.getMax(), nonHeap.getUsed());
    }

    long rss() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    // "VmRSS:	  123456 kB"
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024L;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc hidden: memory is not watched
        }
        return -1;
    }
}

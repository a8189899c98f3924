package gevent4j.benchmarks.syscalls;

import java.io.IOException;
import java.util.Map;

/**
 * Counts the system calls of every thread of a running process (threads it starts later included)
 * between {@link #start} and {@link #stop}, per system call.
 */
interface SyscallCounter {

    /** The tool and how it counts, for the results. */
    String description();

    /** Attaches to the process; returns once counting has begun. */
    void start(long pid) throws IOException, InterruptedException;

    /** Stops counting, detaches, and returns the count per system call name. */
    Map<String, Long> stop() throws IOException, InterruptedException;

    static SyscallCounter named(String tool) {
        return switch (tool) {
            case "perf" -> new PerfSyscallCounter();
            case "strace" -> new StraceSyscallCounter();
            default -> throw new IllegalArgumentException("unknown syscall counter " + tool + " (perf or strace)");
        };
    }
}

package gevent4j.benchmarks.syscalls;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Counts with {@code perf stat} on the kernel's syscall tracepoints ({@code syscalls:sys_enter_*},
 * one counter per system call, and {@code raw_syscalls:sys_enter} for the total), attached with
 * {@code -p} to every thread of the process. The counters are in-kernel, so the process runs at
 * nearly full speed (unlike under {@code strace}, which stops it twice per call). perf opens its
 * counters disabled ({@code -D -1}) and enables and disables them on command through a control FIFO
 * ({@code --control}); its acknowledgement is what tells us that counting has really begun, and
 * what is counted is exactly the window between the two commands.
 */
final class PerfSyscallCounter implements SyscallCounter {

    private static final String PREFIX = "syscalls:sys_enter_";
    private static final String TOTAL = "raw_syscalls:sys_enter";
    private static final long ACK_SECONDS = 60;

    private Path dir;
    private Path output;
    private Process perf;
    private RandomAccessFile control;
    private RandomAccessFile ack;

    @Override
    public String description() {
        return "perf stat -e " + TOTAL + " -e '" + PREFIX + "*' -p <pid> (in-kernel counters, control FIFO)";
    }

    @Override
    public void start(long pid) throws IOException, InterruptedException {
        dir = Files.createTempDirectory("g4j-perf-");
        Path ctl = dir.resolve("ctl");
        Path ackFifo = dir.resolve("ack");
        output = dir.resolve("perf.csv");
        for (Path fifo : List.of(ctl, ackFifo)) {
            Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
            if (mkfifo.waitFor() != 0) {
                throw new IOException("mkfifo " + fifo + " failed");
            }
        }
        // Opened read-write: opening a FIFO for one direction only blocks until the other side opens it.
        control = new RandomAccessFile(ctl.toFile(), "rw");
        ack = new RandomAccessFile(ackFifo.toFile(), "rw");
        perf = new ProcessBuilder("perf", "stat", "-x", ",", "-o", output.toString(), "-D", "-1",
            "--control", "fifo:" + ctl + "," + ackFifo, "-e", TOTAL, "-e", PREFIX + "*", "-p", Long.toString(pid))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        command("enable");
    }

    @Override
    public Map<String, Long> stop() throws IOException, InterruptedException {
        try {
            command("disable");
            // SIGINT is what makes perf stat write its counts and exit.
            new ProcessBuilder("kill", "-INT", Long.toString(perf.pid())).inheritIO().start().waitFor();
            if (!perf.waitFor(60, TimeUnit.SECONDS)) {
                perf.destroyForcibly();
                throw new IOException("perf stat did not exit after SIGINT");
            }
            return parse(Files.readAllLines(output, StandardCharsets.UTF_8));
        } finally {
            control.close();
            ack.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Sends one control command and waits for perf's "ack". */
    private void command(String what) throws IOException, InterruptedException {
        control.write((what + "\n").getBytes(StandardCharsets.US_ASCII));
        CompletableFuture<String> reply = CompletableFuture.supplyAsync(() -> {
            try {
                return ack.readLine();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            // perf writes "ack\n" with the string's terminating NUL, which then leads the next line.
            String line = reply.get(ACK_SECONDS, TimeUnit.SECONDS);
            if (line == null || !line.replace("\0", "").startsWith("ack")) {
                throw new IOException("perf answered '" + line + "' to " + what);
            }
        } catch (ExecutionException | TimeoutException e) {
            perf.destroyForcibly();
            throw new IOException("perf stat did not acknowledge '" + what + "' (is perf usable here?)", e);
        }
    }

    /**
     * {@code perf stat -x,} lines are {@code count,unit,event,...}; the count is {@code <not counted>}
     * or {@code <not supported>} for an event that could not be counted. The total comes back under
     * the key {@code "total"}.
     */
    static Map<String, Long> parse(List<String> lines) throws IOException {
        Map<String, Long> counts = new TreeMap<>();
        for (String line : lines) {
            String[] f = line.split(",", -1);
            if (line.startsWith("#") || f.length < 3 || !f[0].matches("\\d+")) {
                continue;
            }
            long count = Long.parseLong(f[0]);
            if (f[2].equals(TOTAL)) {
                counts.put("total", count);
            } else if (f[2].startsWith(PREFIX) && count > 0) {
                counts.put(f[2].substring(PREFIX.length()), count);
            }
        }
        if (!counts.containsKey("total")) {
            throw new IOException("perf stat counted nothing: " + String.join(" | ", lines));
        }
        return counts;
    }
}

package gevent4j.benchmarks.syscalls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Counts with {@code strace -c -f -p <pid>}: ptrace stops every thread at every system call, so the
 * process runs many times slower (count with it, never time). strace says
 * {@code Process <pid> attached with <n> threads} once it has seized every thread (or, in other
 * versions, {@code Process <tid> attached} per thread); counting is taken to have begun once it has
 * said so for every thread the process had. It writes its table when interrupted (SIGINT),
 * after detaching.
 */
final class StraceSyscallCounter implements SyscallCounter {

    private static final long ATTACH_SECONDS = 60;
    private static final Pattern WITH_THREADS = Pattern.compile("attached with (\\d+) threads");

    private Path output;
    private Process strace;

    @Override
    public String description() {
        return "strace -c -f -p <pid> (ptrace: slows the process; counts only)";
    }

    @Override
    public void start(long pid) throws IOException, InterruptedException {
        long threads;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            threads = tasks.count();
        }
        output = Files.createTempFile("g4j-strace-", ".txt");
        strace = new ProcessBuilder("strace", "-c", "-f", "-o", output.toString(), "-p", Long.toString(pid))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        CountDownLatch attached = new CountDownLatch((int) threads);
        Thread.ofPlatform().daemon().name("strace-stderr").start(() -> {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(strace.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = err.readLine()) != null) {
                    Matcher with = WITH_THREADS.matcher(line);
                    if (with.find()) {
                        for (int i = Integer.parseInt(with.group(1)); i > 0; i--) {
                            attached.countDown();
                        }
                    } else if (line.endsWith(" attached")) {
                        attached.countDown();
                    } else if (!line.contains("detached")) {
                        System.err.println("[strace] " + line);
                    }
                }
            } catch (IOException e) {
                // strace is gone
            }
        });
        if (!attached.await(ATTACH_SECONDS, TimeUnit.SECONDS)) {
            strace.destroyForcibly();
            throw new IOException("strace did not attach to the " + threads + " threads of " + pid);
        }
    }

    @Override
    public Map<String, Long> stop() throws IOException, InterruptedException {
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(strace.pid())).inheritIO().start().waitFor();
            if (!strace.waitFor(120, TimeUnit.SECONDS)) {
                strace.destroyForcibly();
                throw new IOException("strace did not exit after SIGINT");
            }
            return parse(Files.readAllLines(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /**
     * strace's table: {@code % time, seconds, usecs/call, calls, [errors], syscall}, between dashed
     * rules, then a {@code total} line. The total is summed here rather than read, because the total
     * line's columns differ between strace versions.
     */
    static Map<String, Long> parse(List<String> lines) throws IOException {
        Map<String, Long> counts = new TreeMap<>();
        long total = 0;
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 5 || !f[0].matches("[0-9.]+") || f[f.length - 1].equals("total")) {
                continue;
            }
            long calls = Long.parseLong(f[3]);
            counts.put(f[f.length - 1], calls);
            total += calls;
        }
        if (counts.isEmpty()) {
            throw new IOException("strace counted nothing: " + String.join(" | ", lines));
        }
        counts.put("total", total);
        return counts;
    }
}

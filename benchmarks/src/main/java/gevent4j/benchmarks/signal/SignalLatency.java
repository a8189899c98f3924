package gevent4j.benchmarks.signal;

import gevent4j.benchmarks.loops.Posix;
import gevent4j.benchmarks.proc.IsolatedProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Signal delivery latency: starts {@link SignalApp} (the command after {@code --}), then sends it
 * SIGUSR2 with {@code kill(2)}, one at a time, and measures from
 * {@code System.nanoTime()} just before each {@code kill} to the {@code System.nanoTime()} that the
 * handler's first statement read. Both are {@code CLOCK_MONOTONIC} on Linux, so the two processes'
 * readings are comparable. Between signals it waits for the handler's line, then {@code --gap-ms}
 * (plus up to 1 ms of seeded jitter), so that every signal finds the application idle.
 *
 * <p>Two windows of {@code --count} signals each: {@code early}, after {@code --warmup} signals (the
 * application's signal path is still being JIT-compiled: what a process sees in its first seconds),
 * and {@code steady}, after {@code --steady-after} signals (0: no steady window). Prints one line per
 * window, {@code RESULT window=early|steady after=.. samples=N p50_us=.. p90_us=.. p99_us=.. max_us=..
 * mean_us=.. min_us=.. loop=.. handler_virtual=..}; {@code --samples FILE} also writes every measured
 * latency (CSV: window, µs, in sending order).
 * Usage: {@code SignalLatency [--count N (1000)] [--warmup W (100)] [--steady-after S (3000)] [--gap-ms G (2)] [--samples FILE]
 * -- java ... gevent4j.benchmarks.signal.SignalApp}; the application's argument (how many signals to
 * expect) is appended here.
 */
public final class SignalLatency {

    private static final int SIGUSR2 = 12;
    private static final long LINE_TIMEOUT_SECONDS = 10;

    private SignalLatency() {
    }

    public static void main(String[] args) throws Exception {
        int count = 1000;
        int warmup = 100;
        int steadyAfter = 3000;
        long gapMs = 2;
        java.nio.file.Path samples = null;
        List<String> command = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--")) {
                command.addAll(Arrays.asList(args).subList(i + 1, args.length));
                break;
            }
            switch (args[i]) {
                case "--count" -> count = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--steady-after" -> steadyAfter = Integer.parseInt(args[++i]);
                case "--gap-ms" -> gapMs = Long.parseLong(args[++i]);
                case "--samples" -> samples = java.nio.file.Path.of(args[++i]);
                default -> usage();
            }
        }
        if (command.isEmpty()) {
            usage();
        }
        // The early window [warmup, warmup + count) and, unless --steady-after is 0, the steady window
        // [steadyAfter, steadyAfter + count): once the application's signal path is JIT-compiled.
        int total = Math.max(warmup, steadyAfter) + count;
        command.add(Integer.toString(total));

        Process app = IsolatedProcess.builder(command).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = Thread.ofPlatform().daemon().name("app-stdout").start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the application went away; the main thread times out
            }
        });

        try {
            String ready = next(lines, "ready");
            String loop = ready.replaceFirst(".*loop=", "");
            int pid = (int) app.pid();
            long[] early = new long[count];
            long[] steady = new long[count];
            String virtual = "?";
            Random jitter = new Random(42);
            for (int i = 0; i < total; i++) {
                Thread.sleep(gapMs, jitter.nextInt(1_000_000));
                long sent = System.nanoTime();
                if (Posix.kill(pid, SIGUSR2) != 0) {
                    throw new IllegalStateException("kill(" + pid + ", SIGUSR2) failed");
                }
                String handled = next(lines, "handled");
                String[] fields = handled.split(" ");
                long received = Long.parseLong(fields[1]);
                virtual = fields[2].substring("virtual=".length());
                if (i >= warmup && i < warmup + count) {
                    early[i - warmup] = received - sent;
                }
                if (steadyAfter > 0 && i >= steadyAfter) {
                    steady[i - steadyAfter] = received - sent;
                }
            }
            next(lines, "done");
            if (!app.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the application did not exit after 'done'");
            }
            reader.join(1000);
            if (app.exitValue() != 0) {
                throw new IllegalStateException("the application exited with " + app.exitValue());
            }
            if (samples != null) {
                StringBuilder text = new StringBuilder("window,latency_us\n");
                for (long l : early) {
                    text.append("early,").append(l / 1000).append('\n');
                }
                for (int i = 0; steadyAfter > 0 && i < count; i++) {
                    text.append("steady,").append(steady[i] / 1000).append('\n');
                }
                java.nio.file.Files.writeString(samples, text);
            }
            print("early", warmup, early, loop, virtual);
            if (steadyAfter > 0) {
                print("steady", steadyAfter, steady, loop, virtual);
            }
        } finally {
            if (app.isAlive()) {
                app.destroyForcibly();
            }
        }
    }

    private static void print(String window, int after, long[] latency, String loop, String virtual) {
        int count = latency.length;
        double mean = Arrays.stream(latency).average().orElse(Double.NaN);
        long[] sorted = latency.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT,
                "RESULT window=%s after=%d samples=%d p50_us=%.1f p90_us=%.1f p99_us=%.1f max_us=%.1f mean_us=%.1f"
                        + " min_us=%.1f loop=%s handler_virtual=%s%n",
                window, after, count, percentile(sorted, 50) / 1e3, percentile(sorted, 90) / 1e3,
                percentile(sorted, 99) / 1e3, sorted[count - 1] / 1e3, mean / 1e3, sorted[0] / 1e3, loop, virtual);
    }

    /** The next line of the application starting with {@code prefix}; other lines are echoed. */
    private static String next(BlockingQueue<String> lines, String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LINE_TIMEOUT_SECONDS);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IllegalStateException("no '" + prefix + "' line from the application within "
                        + LINE_TIMEOUT_SECONDS + " s");
            }
            if (line.startsWith(prefix)) {
                return line;
            }
            System.out.println("[app] " + line);
        }
    }

    private static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static void usage() {
        System.err.println("usage: SignalLatency [--count N] [--warmup W] [--steady-after S] [--gap-ms G] [--samples FILE] -- java ... "
                + "gevent4j.benchmarks.signal.SignalApp");
        System.exit(2);
    }
}

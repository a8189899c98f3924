package gevent4j.benchmarks.syscalls;

import gevent4j.benchmarks.echo.EchoLoad;
import gevent4j.benchmarks.proc.CsvRows;
import gevent4j.benchmarks.proc.DriverArgs;
import gevent4j.benchmarks.proc.IsolatedProcess;
import gevent4j.benchmarks.proc.Jcmd;
import gevent4j.benchmarks.proc.ServerProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * System calls per echoed message: starts an echo server (the command after {@code --}) and drives
 * it with {@link EchoLoad} (its own JVM) in pausing mode. Once every connection is up, attaches a
 * {@link SyscallCounter} ({@code perf} or {@code strace}) to every thread of the server, lets the
 * exchanges run, and detaches when they are done: the count covers the exchange phase alone, not
 * connection set-up or tear-down, which would otherwise be spread over the messages. Divides the
 * total by the exchanges echoed (one exchange = one message of 1..1024 B sent and all of it echoed).
 *
 * <p>Prints {@code SYSCALLS name=.. connections=.. exchanges=.. total=.. per_message=.. errors=..},
 * writes the per-syscall breakdown to {@code --breakdown FILE} and appends to the CSV
 * {@code syscalls,echo-<C>conn,<name>,<repeat>,per_message,...} plus one row per system call that
 * reaches 0.01 per message (benchmark {@code echo-<C>conn-by-syscall}). {@code --expect-loop L}
 * checks through {@code jcmd} that a gevent4j server runs loop L (before counting starts).
 */
public final class SyscallCount {

    private static final String USAGE = "SyscallCount --name N --connections C [--messages M] [--repeat R] --csv FILE"
        + " --breakdown FILE --client-classpath CP [--tool perf|strace] [--expect-loop L] -- server command...";
    private static final Pattern FIELD = Pattern.compile("(\\w+)=([-0-9.]+)");
    private static final double SHOWN_PER_MESSAGE = 0.01;
    private static final long PHASE_TIMEOUT_SECONDS = 600;
    /** Put in the queue after the client's last line (compared by identity). */
    private static final String END = new String("end of the client's output");

    private SyscallCount() {
    }

    public static void main(String[] args) throws Exception {
        DriverArgs options = DriverArgs.parse(args, USAGE, List.of("--name", "--connections", "--messages", "--repeat",
            "--csv", "--breakdown", "--client-classpath", "--tool", "--expect-loop"), true);
        String name = options.require("--name");
        int connections = Integer.parseInt(options.require("--connections"));
        String messages = options.get("--messages", "100");
        String repeat = options.get("--repeat", "1");
        Path csv = Path.of(options.require("--csv"));
        Path breakdown = Path.of(options.require("--breakdown"));
        SyscallCounter counter = SyscallCounter.named(options.get("--tool", "perf"));
        String expectLoop = options.get("--expect-loop", null);
        String java = ProcessHandle.current().info().command().orElse("java");

        List<String> problems = new ArrayList<>();
        Map<String, Long> counts;
        String result;
        try (ServerProcess server = ServerProcess.start(options.command(), 60)) {
            if (expectLoop != null) {
                String loop = Jcmd.systemProperty(server.pid(), "gevent4j.loop");
                if (!expectLoop.equals(loop)) {
                    problems.add("asked for loop " + expectLoop + ", the server runs " + loop);
                }
            }
            Process load = IsolatedProcess.builder(List.of(java, "-Xss512k", "-cp", options.require("--client-classpath"),
                EchoLoad.class.getName(), "--port", Integer.toString(server.port()),
                "--connections", Integer.toString(connections), "--messages", messages,
                "--pause-between-phases", "true")).start();
            try {
                BlockingQueue<String> lines = lines(load);
                OutputStream go = load.getOutputStream();
                expect(lines, "PHASE connected");
                counter.start(server.pid());
                release(go);
                expect(lines, "PHASE exchanged");
                counts = counter.stop();
                release(go);
                result = expect(lines, "RESULT ");
                if (!load.waitFor(60, TimeUnit.SECONDS) || load.exitValue() != 0) {
                    problems.add("the load client failed");
                }
                if (!server.isAlive()) {
                    problems.add("the server died");
                }
            } finally {
                load.destroyForcibly();
            }
        }

        Map<String, String> figures = fields(result);
        long exchanges = Long.parseLong(figures.getOrDefault("exchanges", "0"));
        long errors = Long.parseLong(figures.getOrDefault("errors", "1")) + problems.size();
        problems.forEach(p -> System.err.println("SyscallCount: " + name + ": " + p));
        long total = counts.get("total");
        double perMessage = exchanges > 0 ? (double) total / exchanges : -1;
        System.out.println(String.format(Locale.ROOT,
            "SYSCALLS name=%s connections=%d exchanges=%d total=%d per_message=%.3f errors=%d",
            name, connections, exchanges, total, perMessage, errors));

        writeBreakdown(breakdown, name, connections, exchanges, counter.description(), counts);
        String bench = "echo-" + connections + "conn";
        new CsvRows("syscalls", bench, name, repeat)
            .add("per_message", perMessage, 3, "calls/msg")
            .add("errors", errors, "count")
            .appendTo(csv);
        CsvRows bySyscall = new CsvRows("syscalls", bench + "-by-syscall", name, repeat);
        counts.entrySet().stream()
            .filter(e -> !e.getKey().equals("total") && exchanges > 0 && (double) e.getValue() / exchanges >= SHOWN_PER_MESSAGE)
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .forEach(e -> bySyscall.add(e.getKey(), (double) e.getValue() / exchanges, 3, "calls/msg"));
        bySyscall.appendTo(csv);
        System.exit(errors == 0 ? 0 : 1);
    }

    private static void writeBreakdown(Path file, String name, int connections, long exchanges, String tool,
                                       Map<String, Long> counts) throws IOException {
        List<String> out = new ArrayList<>();
        out.add("# " + name + ": system calls of every server thread during the exchange phase of EchoLoad");
        out.add("# connections=" + connections + " exchanges=" + exchanges + " counted with " + tool);
        out.add(String.format(Locale.ROOT, "%-24s %12s %12s", "syscall", "calls", "per_message"));
        counts.entrySet().stream()
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .forEach(e -> out.add(String.format(Locale.ROOT, "%-24s %12d %12.4f", e.getKey(), e.getValue(),
                exchanges > 0 ? (double) e.getValue() / exchanges : Double.NaN)));
        Files.write(file, out, StandardCharsets.UTF_8);
    }

    private static BlockingQueue<String> lines(Process process) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofPlatform().daemon().name("load-stdout").start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the client is gone; expect() times out or sees the end marker
            }
            lines.add(END);
        });
        return lines;
    }

    /** Waits for the client's line starting with {@code prefix}; other lines are passed on. */
    private static String expect(BlockingQueue<String> lines, String prefix) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PHASE_TIMEOUT_SECONDS);
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || line == END) {
                throw new IOException("the load client ended or stalled before '" + prefix.trim() + "'");
            }
            if (line.startsWith(prefix)) {
                return line;
            }
            System.out.println("[load] " + line);
        }
    }

    private static void release(OutputStream go) throws IOException {
        go.write('\n');
        go.flush();
    }

    private static Map<String, String> fields(String line) {
        Map<String, String> figures = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(line);
        while (m.find()) {
            figures.put(m.group(1), m.group(2));
        }
        return figures;
    }
}

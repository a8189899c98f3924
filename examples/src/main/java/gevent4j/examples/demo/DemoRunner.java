package gevent4j.examples.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gevent4j demo: runs the unmodified {@code EchoServer} in a child JVM twice, once plain and
 * once with {@code -javaagent:gevent4j-agent.jar}, drives each with {@code LoadClient} (another
 * child JVM, never with the agent), samples the server's threads and memory from
 * {@code /proc/<pid>/status}, and prints the two runs side by side.
 *
 * <p>Usage: {@code DemoRunner --agent <jar> [--connections N] [--rounds R] [--size BYTES]
 * [--agent-args STRING] [--timeout-seconds S] [--runs plain,agent]}. {@code --runs} names the runs
 * to make (default both; the benchmark harness makes one per process, to set several loops side
 * by side); a run left out shows as {@code -}. Exits 0 only if every run made served every
 * connection without errors.
 */
public final class DemoRunner {

    private static final String SERVER_CLASS = "gevent4j.examples.echo.EchoServer";
    private static final String CLIENT_CLASS = "gevent4j.examples.echo.LoadClient";
    private static final Pattern LISTENING = Pattern.compile("listening on (\\d+)");
    private static final Pattern RESULT_FIELD = Pattern.compile("(\\w+)=(\\S+)");
    private static final long SERVER_START_TIMEOUT_SECONDS = 60;
    /** File descriptors each JVM needs besides its sockets (jars, pipes, epoll, ...). */
    private static final int FD_HEADROOM = 200;

    private final Path javaHome = Path.of(System.getProperty("java.home"));
    private final Path java = javaHome.resolve("bin").resolve("java");
    private final String classPath = System.getProperty("java.class.path");

    private Path agent = Path.of("agent/target/gevent4j-agent.jar");
    private String agentArgs;
    private int connections = 5000;
    private int rounds = 3;
    private int size = 4096;
    private int timeoutSeconds = 300;
    private boolean runPlain = true;
    private boolean runAgent = true;

    public static void main(String[] args) throws Exception {
        DemoRunner runner = new DemoRunner();
        runner.parse(args);
        System.exit(runner.run());
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("-h") || name.equals("--help")) {
                usage(null);
            }
            if (i + 1 >= args.length) {
                usage("missing value for " + name);
            }
            String value = args[++i];
            switch (name) {
                case "--agent" -> agent = Path.of(value);
                case "--agent-args" -> agentArgs = value.isEmpty() ? null : value;
                case "--connections" -> connections = positive(name, value);
                case "--rounds" -> rounds = positive(name, value);
                case "--size" -> size = positive(name, value);
                case "--timeout-seconds" -> timeoutSeconds = positive(name, value);
                case "--runs" -> runs(value);
                default -> usage("unknown option " + name);
            }
        }
    }

    private void runs(String value) {
        List<String> names = List.of(value.split(","));
        for (String n : names) {
            if (!n.equals("plain") && !n.equals("agent")) {
                usage("--runs takes plain, agent or plain,agent; got '" + value + "'");
            }
        }
        runPlain = names.contains("plain");
        runAgent = names.contains("agent");
    }

    private static int positive(String name, String value) {
        try {
            int v = Integer.parseInt(value);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        usage(name + " must be a positive integer, got '" + value + "'");
        return 0;
    }

    private static void usage(String problem) {
        if (problem != null) {
            System.err.println("demo: " + problem);
        }
        System.err.println("usage: DemoRunner --agent <gevent4j-agent.jar> [--connections N (5000)] [--rounds R (3)]"
                + " [--size BYTES (4096)] [--agent-args name=value,...] [--timeout-seconds S (300)]"
                + " [--runs plain,agent]");
        System.exit(problem == null ? 0 : 2);
    }

    private int run() throws Exception {
        if (!Files.isRegularFile(agent)) {
            System.err.println("demo: agent jar not found: " + agent.toAbsolutePath()
                    + " (build it with `mvn -DskipTests install`, or run bin/demo, which builds it)");
            return 2;
        }
        long fdLimit = openFileLimit();
        if (fdLimit > 0 && connections + FD_HEADROOM > fdLimit) {
            System.err.println("demo: " + connections + " connections need about " + (connections + FD_HEADROOM)
                    + " open files per process, but the limit (\"Max open files\" in /proc/self/limits) is "
                    + fdLimit + "; raise it with `ulimit -n " + Math.max(65536, connections + FD_HEADROOM)
                    + "` (bin/demo does this when allowed) or pass a smaller --connections");
            return 2;
        }

        String javaagent = "-javaagent:" + agent.toAbsolutePath() + (agentArgs == null ? "" : "=" + agentArgs);
        System.out.printf(Locale.ROOT, "gevent4j demo: %d connections x %d rounds x %d bytes, Java %s%n%n",
                connections, rounds, size, Runtime.version());

        Run plain = runPlain ? runOnce("without agent", null) : Run.skipped("without agent");
        Run agentRun = runAgent ? runOnce("with gevent4j", javaagent) : Run.skipped("with gevent4j");

        printTable(plain, agentRun);
        boolean ok = plain.ok() && agentRun.ok();
        if (!ok) {
            System.out.println();
            for (Run r : List.of(plain, agentRun)) {
                if (!r.ok()) {
                    System.out.println("FAILED (" + r.label + "): " + r.failure());
                }
            }
        }
        return ok ? 0 : 1;
    }

    // ---------------------------------------------------------------- one run

    /** Everything measured in one run; fields stay at their defaults when the run did not get that far. */
    private static final class Run {
        final String label;
        boolean skipped;
        String problem;
        String loop = "-";
        long pid = -1;
        int peakThreads = -1;
        long peakRssKb = -1;
        long hwmKb = -1;
        double clientSeconds = -1;
        double serverCpuSeconds = -1;
        int clientExit = -1;
        Map<String, String> result = Map.of();

        Run(String label) {
            this.label = label;
        }

        static Run skipped(String label) {
            Run run = new Run(label);
            run.skipped = true;
            return run;
        }

        long field(String name) {
            String v = result.get(name);
            if (v == null) {
                return -1;
            }
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        boolean ok() {
            return skipped || problem == null && clientExit == 0 && field("errors") == 0;
        }

        String failure() {
            if (problem != null) {
                return problem;
            }
            if (result.isEmpty()) {
                return "the load client printed no RESULT line (exit code " + clientExit + ")";
            }
            return "the load client reported " + field("errors") + " errors (exit code " + clientExit + ")";
        }
    }

    private Run runOnce(String label, String javaagent) throws Exception {
        Run run = new Run(label);
        System.out.println("== " + label + (javaagent == null ? "" : ": " + javaagent));
        List<String> serverCommand = new ArrayList<>(List.of(java.toString()));
        if (javaagent != null) {
            serverCommand.add(javaagent);
        }
        serverCommand.addAll(List.of("-cp", classPath, SERVER_CLASS, "0"));

        Process server;
        try {
            server = childJvm(serverCommand).start();
        } catch (IOException e) {
            run.problem = "could not start the server JVM: " + e.getMessage();
            System.out.println("   " + run.problem);
            return run;
        }
        run.pid = server.pid();
        StreamCollector serverErr = StreamCollector.start(server.getErrorStream());
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread stdoutReader = Thread.ofPlatform().daemon().name("server-stdout").start(() -> readServerStdout(server, port));
        Sampler sampler = null;
        try {
            int serverPort;
            try {
                serverPort = port.get(SERVER_START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                run.problem = "the server did not print 'listening on <port>' within " + SERVER_START_TIMEOUT_SECONDS + " s";
                return run;
            } catch (java.util.concurrent.ExecutionException e) {
                run.problem = "the server did not start: " + e.getCause().getMessage();
                return run;
            }
            System.out.println("   server pid " + run.pid + " listening on port " + serverPort);
            sampler = Sampler.start(run.pid);
            // Same jcmd attach in both runs, so both servers carry the same Attach Listener thread.
            String loop = systemProperty(run.pid, "gevent4j.loop");
            run.loop = loop != null ? loop : javaagent == null ? "none" : "unknown";

            List<String> clientCommand = List.of(java.toString(), "-cp", classPath, CLIENT_CLASS,
                    "--host", "127.0.0.1", "--port", Integer.toString(serverPort),
                    "--connections", Integer.toString(connections), "--rounds", Integer.toString(rounds),
                    "--size", Integer.toString(size), "--timeout-seconds", Integer.toString(timeoutSeconds));
            long start = System.nanoTime();
            Process client = childJvm(clientCommand).start();
            StreamCollector clientOut = StreamCollector.start(client.getInputStream());
            StreamCollector clientErr = StreamCollector.start(client.getErrorStream());
            if (!client.waitFor(timeoutSeconds + 60L, TimeUnit.SECONDS)) {
                client.destroyForcibly().waitFor();
                run.problem = "the load client did not finish within " + (timeoutSeconds + 60) + " s";
            }
            run.clientSeconds = (System.nanoTime() - start) / 1e9;
            // The server's CPU time (user + system) up to the end of the load: its whole cost for it.
            run.serverCpuSeconds = server.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(-1.0);
            run.clientExit = client.exitValue();
            for (String line : clientOut.lines()) {
                if (line.startsWith("RESULT ")) {
                    run.result = parseResult(line);
                    System.out.println("   client: " + line);
                }
            }
            for (String line : clientErr.lines()) {
                System.err.println("[client] " + line);
            }
            if (!server.isAlive() && run.problem == null) {
                run.problem = "the server exited during the load (exit code " + server.exitValue() + ")";
            }
        } finally {
            if (sampler != null) {
                sampler.stop();
                run.peakThreads = sampler.peakThreads;
                run.peakRssKb = sampler.peakRssKb;
                run.hwmKb = sampler.hwmKb;
            }
            stop(server);
            stdoutReader.join(1000);
            List<String> errLines = serverErr.lines();
            for (String line : errLines) {
                System.err.println("[server] " + line);
            }
            if (run.problem != null) {
                System.out.println("   " + run.problem);
            }
        }
        return run;
    }

    private static ProcessBuilder childJvm(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        // The "without agent" run must really be without it, and neither JVM should get extra flags.
        Map<String, String> env = pb.environment();
        env.remove("JAVA_TOOL_OPTIONS");
        env.remove("JDK_JAVA_OPTIONS");
        env.remove("_JAVA_OPTIONS");
        return pb;
    }

    private static void readServerStdout(Process server, CompletableFuture<Integer> port) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                Matcher m = LISTENING.matcher(line);
                if (!port.isDone() && m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                } else {
                    System.out.println("   [server stdout] " + line);
                }
            }
        } catch (IOException e) {
            // the server went away; handled below
        }
        int exit = exitValue(server);
        port.completeExceptionally(new IOException("it closed its stdout without printing 'listening on <port>'"
                + (exit == -1 ? "" : " and exited with code " + exit)));
    }

    private static int exitValue(Process p) {
        try {
            return p.waitFor(2, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void stop(Process server) throws InterruptedException {
        if (!server.isAlive()) {
            return;
        }
        server.destroy();
        if (!server.waitFor(5, TimeUnit.SECONDS)) {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Reads one system property of a running JVM with {@code jcmd <pid> VM.system_properties}; null if absent. */
    private String systemProperty(long pid, String name) {
        Path jcmd = javaHome.resolve("bin").resolve("jcmd");
        if (!Files.isExecutable(jcmd)) {
            String env = System.getenv("JAVA_HOME");
            if (env == null || !Files.isExecutable(Path.of(env, "bin", "jcmd"))) {
                return null;
            }
            jcmd = Path.of(env, "bin", "jcmd");
        }
        try {
            Process p = childJvm(List.of(jcmd.toString(), Long.toString(pid), "VM.system_properties"))
                    .redirectErrorStream(true).start();
            StreamCollector out = StreamCollector.start(p.getInputStream());
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            String prefix = name + "=";
            for (String line : out.lines()) {
                if (line.startsWith(prefix)) {
                    return line.substring(prefix.length()).trim();
                }
            }
        } catch (IOException e) {
            // fall through
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    private static Map<String, String> parseResult(String line) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        Matcher m = RESULT_FIELD.matcher(line);
        while (m.find()) {
            fields.put(m.group(1), m.group(2));
        }
        return fields;
    }

    /** Soft "Max open files" limit of this process (children inherit it), or -1 if unknown. */
    private static long openFileLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String[] parts = line.substring("Max open files".length()).trim().split("\\s+");
                    return parts[0].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(parts[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or an unexpected format
        }
        return -1;
    }

    // ---------------------------------------------------------------- output

    private void printTable(Run a, Run b) {
        String format = "%-28s %16s %16s%n";
        System.out.println();
        System.out.printf(Locale.ROOT, format, "", a.label, b.label);
        System.out.printf(Locale.ROOT, format, "loop", a.loop, b.loop);
        row(format, "connections served", a.field("connected"), b.field("connected"));
        row(format, "bytes verified", a.field("bytes_verified"), b.field("bytes_verified"));
        row(format, "errors", a.field("errors"), b.field("errors"));
        row(format, "server OS threads (peak)", a.peakThreads, b.peakThreads);
        System.out.printf(Locale.ROOT, format, "server RSS peak (MB)", mb(a.peakRssKb), mb(b.peakRssKb));
        System.out.printf(Locale.ROOT, format, "server RSS high-water (MB)", mb(a.hwmKb), mb(b.hwmKb));
        System.out.printf(Locale.ROOT, format, "client time (s)", seconds(a.clientSeconds), seconds(b.clientSeconds));
        System.out.printf(Locale.ROOT, format, "server CPU (s)", seconds(a.serverCpuSeconds), seconds(b.serverCpuSeconds));
        System.out.println();
        System.out.println("RSS ratio (with / without):     " + ratio(b.peakRssKb, a.peakRssKb));
        System.out.println("threads ratio (with / without): " + ratio(b.peakThreads, a.peakThreads));
    }

    private static void row(String format, String name, long a, long b) {
        System.out.printf(Locale.ROOT, format, name, a < 0 ? "-" : Long.toString(a), b < 0 ? "-" : Long.toString(b));
    }

    private static String mb(long kb) {
        return kb < 0 ? "-" : String.format(Locale.ROOT, "%.1f", kb / 1024.0);
    }

    private static String seconds(double s) {
        return s < 0 ? "-" : String.format(Locale.ROOT, "%.2f", s);
    }

    private static String ratio(long with, long without) {
        if (with <= 0 || without <= 0) {
            return "-";
        }
        double r = (double) with / without;
        if (Math.abs(r - 1) < 0.05) {
            return String.format(Locale.ROOT, "%.3f (about the same)", r);
        }
        return r < 1
                ? String.format(Locale.ROOT, "%.3f (%.1fx less with gevent4j)", r, 1 / r)
                : String.format(Locale.ROOT, "%.3f (%.1fx more with gevent4j)", r, r);
    }

    // ---------------------------------------------------------------- helpers

    /** Samples /proc/<pid>/status every 50 ms for peak Threads and VmRSS; reads VmHWM when stopped. */
    private static final class Sampler implements Runnable {
        private final Path status;
        private final Thread thread;
        private volatile boolean running = true;
        volatile int peakThreads = -1;
        volatile long peakRssKb = -1;
        volatile long hwmKb = -1;

        private Sampler(long pid) {
            this.status = Path.of("/proc", Long.toString(pid), "status");
            this.thread = Thread.ofPlatform().daemon().name("proc-sampler").unstarted(this);
        }

        static Sampler start(long pid) {
            Sampler s = new Sampler(pid);
            s.sample();
            s.thread.start();
            return s;
        }

        @Override
        public void run() {
            while (running) {
                sample();
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void sample() {
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("Threads:")) {
                        peakThreads = Math.max(peakThreads, (int) number(line));
                    } else if (line.startsWith("VmRSS:")) {
                        peakRssKb = Math.max(peakRssKb, number(line));
                    } else if (line.startsWith("VmHWM:")) {
                        hwmKb = Math.max(hwmKb, number(line));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // the process is gone
            }
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
            sample();   // last look, including VmHWM, before the server is killed
        }

        private static long number(String line) {
            String[] parts = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
            return Long.parseLong(parts[0]);
        }
    }

    /** Drains a stream on a daemon thread so a child never blocks on a full pipe. */
    private static final class StreamCollector {
        private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
        private final Thread thread;

        private StreamCollector(InputStream in) {
            this.thread = Thread.ofPlatform().daemon().name("stream-collector").unstarted(() -> {
                try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // stream closed
                }
            });
        }

        static StreamCollector start(InputStream in) {
            StreamCollector c = new StreamCollector(in);
            c.thread.start();
            return c;
        }

        /** Waits (up to 5 s) for end of stream, then returns everything read. */
        List<String> lines() {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.copyOf(lines);
        }
    }
}

package gevent4j.benchmarks.echo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one contender of the echo contest: starts its server process (the command after
 * {@code --}), waits for {@code listening on <port>}, samples the server's OS threads and RSS from
 * {@code /proc/<pid>/status} every 5 ms while {@link EchoLoad}, in its own JVM, drives it, then
 * takes the server's CPU time (user + system) and stops it. Prints one line
 * {@code CONTEST name=.. connections=.. seconds=.. rtt_p50_us=.. rtt_p99_us=.. server_threads_peak=..
 * server_rss_peak_mb=.. server_cpu_s=.. errors=..} and appends the same figures to the CSV file
 * ({@code suite,benchmark,config,repeat,metric,value,error,unit}).
 *
 * <p>Usage: {@code EchoContest --name N --connections C --messages M --repeat R --csv FILE
 * --client-classpath CP -- server command...}
 */
public final class EchoContest {

    private static final Pattern LISTENING = Pattern.compile("listening on (\\d+)");
    private static final Pattern FIELD = Pattern.compile("(\\w+)=([-0-9.]+)");

    private EchoContest() {
    }

    public static void main(String[] args) throws Exception {
        int dash = Arrays.asList(args).indexOf("--");
        if (dash < 0 || dash == args.length - 1) {
            usage();
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < dash; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        List<String> serverCommand = List.of(args).subList(dash + 1, args.length);
        String name = require(options, "--name");
        int connections = Integer.parseInt(require(options, "--connections"));
        String messages = options.getOrDefault("--messages", "100");
        String repeat = options.getOrDefault("--repeat", "1");
        Path csv = Path.of(require(options, "--csv"));
        String clientClasspath = require(options, "--client-classpath");
        String java = ProcessHandle.current().info().command().orElse("java");

        Process server = new ProcessBuilder(serverCommand).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> readStdout(server, port));
        int serverPort;
        try {
            serverPort = port.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            server.destroyForcibly();
            System.out.println("CONTEST name=" + name + " connections=" + connections + " FAILED: the server did not start: " + e);
            System.exit(1);
            return;
        }
        Sampler sampler = new Sampler(server.pid());
        Thread sampling = Thread.ofPlatform().daemon().start(sampler);
        List<String> client = List.of(java, "-Xss512k", "-cp", clientClasspath, EchoLoad.class.getName(),
            "--port", Integer.toString(serverPort), "--connections", Integer.toString(connections),
            "--messages", messages);
        Process load = new ProcessBuilder(client).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String result = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(load.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("RESULT ")) {
                    result = line;
                }
            }
        }
        int clientExit = load.waitFor();
        double cpu = server.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(-1.0);
        sampler.stop = true;
        sampling.join();
        boolean serverAlive = server.isAlive();
        server.destroy();
        if (!server.waitFor(10, TimeUnit.SECONDS)) {
            server.destroyForcibly().waitFor();
        }

        Map<String, String> figures = new LinkedHashMap<>();
        if (result != null) {
            Matcher m = FIELD.matcher(result);
            while (m.find()) {
                figures.put(m.group(1), m.group(2));
            }
        }
        long errors = Long.parseLong(figures.getOrDefault("errors", "1")) + (clientExit == 0 ? 0 : 1) + (serverAlive ? 0 : 1);
        String line = String.format(Locale.ROOT,
            "CONTEST name=%s connections=%d seconds=%s rtt_p50_us=%s rtt_p99_us=%s server_threads_peak=%d"
                + " server_rss_peak_mb=%.1f server_cpu_s=%.2f exchanges=%s errors=%d",
            name, connections, figures.getOrDefault("seconds", "-1"), figures.getOrDefault("rtt_p50_us", "-1"),
            figures.getOrDefault("rtt_p99_us", "-1"), sampler.peakThreads, sampler.peakRssKb / 1024.0, cpu,
            figures.getOrDefault("exchanges", "0"), errors);
        System.out.println(line);
        String bench = "echo-" + connections + "conn";
        List<String> rows = new ArrayList<>();
        rows.add(row(bench, name, repeat, "time", figures.getOrDefault("seconds", "-1"), "s"));
        rows.add(row(bench, name, repeat, "rtt_p50", figures.getOrDefault("rtt_p50_us", "-1"), "us"));
        rows.add(row(bench, name, repeat, "rtt_p99", figures.getOrDefault("rtt_p99_us", "-1"), "us"));
        rows.add(row(bench, name, repeat, "server_threads_peak", Long.toString(sampler.peakThreads), "threads"));
        rows.add(row(bench, name, repeat, "server_rss_peak", String.format(Locale.ROOT, "%.1f", sampler.peakRssKb / 1024.0), "MB"));
        rows.add(row(bench, name, repeat, "server_cpu", String.format(Locale.ROOT, "%.2f", cpu), "s"));
        rows.add(row(bench, name, repeat, "errors", Long.toString(errors), "count"));
        Files.write(csv, rows, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.exit(errors == 0 ? 0 : 1);
    }

    private static String row(String bench, String config, String repeat, String metric, String value, String unit) {
        return "echo-contest," + bench + "," + config + "," + repeat + "," + metric + "," + value + ",," + unit;
    }

    private static String require(Map<String, String> options, String name) {
        String v = options.get(name);
        if (v == null) {
            usage();
        }
        return v;
    }

    private static void usage() {
        System.err.println("usage: EchoContest --name N --connections C [--messages M] [--repeat R] --csv FILE"
            + " --client-classpath CP -- server command...");
        System.exit(2);
    }

    private static void readStdout(Process server, CompletableFuture<Integer> port) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                Matcher m = LISTENING.matcher(line);
                if (!port.isDone() && m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                } else {
                    System.out.println("[server] " + line);
                }
            }
        } catch (IOException e) {
            // gone
        }
        port.completeExceptionally(new IOException("the server closed its stdout without 'listening on <port>'"));
    }

    /** The server's peak OS threads and RSS, from /proc/<pid>/status every 5 ms. */
    private static final class Sampler implements Runnable {
        private final Path status;
        volatile boolean stop;
        volatile long peakThreads = -1;
        volatile long peakRssKb = -1;

        Sampler(long pid) {
            this.status = Path.of("/proc", Long.toString(pid), "status");
        }

        @Override
        public void run() {
            while (!stop) {
                try {
                    for (String line : Files.readAllLines(status)) {
                        if (line.startsWith("Threads:")) {
                            peakThreads = Math.max(peakThreads, value(line));
                        } else if (line.startsWith("VmRSS:")) {
                            peakRssKb = Math.max(peakRssKb, value(line));
                        }
                    }
                    Thread.sleep(5);
                } catch (IOException | RuntimeException e) {
                    return;
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private static long value(String line) {
            return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
    }
}

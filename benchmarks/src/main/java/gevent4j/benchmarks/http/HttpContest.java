package gevent4j.benchmarks.http;

import gevent4j.benchmarks.proc.CsvRows;
import gevent4j.benchmarks.proc.DriverArgs;
import gevent4j.benchmarks.proc.PeakSampler;
import gevent4j.benchmarks.proc.ServerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs one contender of the HTTP workload: starts the server (the command after {@code --}, e.g.
 * {@link SleepyHttpServer}), warms it up with one {@code wrk} run whose figures are dropped (JIT
 * compilation, and the cached pool growing to its working size), then measures with
 * {@code wrk -c<connections> -t<threads> -d<duration>s --latency --timeout <timeout>s}. wrk runs in
 * its own process on the same machine. The server's OS threads and RSS are sampled every 10 ms over
 * its whole life (their peaks include the warm-up), its CPU time is read at the end.
 *
 * <p>Prints wrk's output and {@code HTTP name=.. rps=.. p50_ms=.. p99_ms=.. max_ms=.. threads_peak=..
 * rss_peak_mb=.. cpu_s=.. errors=..}, and appends the figures to the CSV (suite {@code http}).
 * {@code --expect-loop L} checks the loop the server reports in its {@code listening} line.
 */
public final class HttpContest {

    private static final String USAGE = "HttpContest --name N [--repeat R] --csv FILE [--connections 1000] [--threads 2]"
        + " [--duration S] [--warmup S] [--timeout S] [--expect-loop L] -- server command...";

    private HttpContest() {
    }

    public static void main(String[] args) throws Exception {
        DriverArgs options = DriverArgs.parse(args, USAGE, List.of("--name", "--repeat", "--csv", "--connections",
            "--threads", "--duration", "--warmup", "--timeout", "--expect-loop"), true);
        String name = options.require("--name");
        String repeat = options.get("--repeat", "1");
        Path csv = Path.of(options.require("--csv"));
        int connections = options.intValue("--connections", 1000);
        int threads = options.intValue("--threads", 2);
        int duration = options.intValue("--duration", 10);
        int warmup = options.intValue("--warmup", 3);
        int timeout = options.intValue("--timeout", 5);
        String expectLoop = options.get("--expect-loop", null);
        List<String> problems = new ArrayList<>();

        WrkResult result = null;
        double cpu;
        PeakSampler sampler;
        try (ServerProcess server = ServerProcess.start(options.command(), 60)) {
            sampler = new PeakSampler(server.pid(), 10).start();
            if (expectLoop != null && !server.listeningLine().contains("loop=" + expectLoop)) {
                problems.add("asked for loop " + expectLoop + ", the server says: " + server.listeningLine());
            }
            String url = "http://127.0.0.1:" + server.port() + "/";
            if (warmup > 0) {
                wrk(connections, threads, warmup, timeout, url);
            }
            String output = wrk(connections, threads, duration, timeout, url);
            System.out.print(output);
            try {
                result = WrkResult.parse(output);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
            cpu = server.cpuSeconds();
            sampler.stop();
            if (!server.isAlive()) {
                problems.add("the server died");
            }
        }

        CsvRows rows = new CsvRows("http", "http-" + connections + "conn-sleep50ms", name, repeat);
        if (result != null) {
            System.out.println(String.format(Locale.ROOT,
                "HTTP name=%s rps=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f requests=%d threads_peak=%d rss_peak_mb=%.1f"
                    + " cpu_s=%.2f errors=%d",
                name, result.requestsPerSecond(), result.p50Millis(), result.p99Millis(), result.maxMillis(),
                result.requests(), sampler.peakThreads(), sampler.peakRssKb() / 1024.0, cpu, result.errors()));
            rows.add("requests_per_s", result.requestsPerSecond(), 1, "req/s")
                .add("latency_p50", result.p50Millis(), 2, "ms")
                .add("latency_p99", result.p99Millis(), 2, "ms")
                .add("latency_max", result.maxMillis(), 2, "ms")
                .add("server_threads_peak", sampler.peakThreads(), "threads")
                .add("server_rss_peak", sampler.peakRssKb() / 1024.0, 1, "MB")
                .add("server_cpu", cpu, 2, "s")
                .add("wrk_errors", result.errors(), "count");
        }
        problems.forEach(p -> System.out.println("HTTP name=" + name + " FAILED: " + p));
        rows.add("errors", problems.size(), "count").appendTo(csv);
        System.exit(problems.isEmpty() ? 0 : 1);
    }

    /** Runs wrk to the end and returns what it printed (standard output and error). */
    private static String wrk(int connections, int threads, int seconds, int timeout, String url)
            throws IOException, InterruptedException {
        Process wrk = new ProcessBuilder("wrk", "-c" + connections, "-t" + threads, "-d" + seconds + "s", "--latency",
            "--timeout", timeout + "s", url).redirectErrorStream(true).start();
        String output;
        try (InputStream in = wrk.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int exit = wrk.waitFor();
        if (exit != 0) {
            throw new IOException("wrk exited with " + exit + ": " + output);
        }
        return output;
    }
}

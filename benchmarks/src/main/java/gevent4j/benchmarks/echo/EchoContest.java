package gevent4j.benchmarks.echo;

import gevent4j.benchmarks.proc.CsvRows;
import gevent4j.benchmarks.proc.DriverArgs;
import gevent4j.benchmarks.proc.PeakSampler;
import gevent4j.benchmarks.proc.ServerProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    private static final String USAGE = "EchoContest --name N --connections C [--messages M] [--repeat R] --csv FILE"
        + " --client-classpath CP -- server command...";
    private static final Pattern FIELD = Pattern.compile("(\\w+)=([-0-9.]+)");

    private EchoContest() {
    }

    public static void main(String[] args) throws Exception {
        DriverArgs options = DriverArgs.parse(args, USAGE,
            List.of("--name", "--connections", "--messages", "--repeat", "--csv", "--client-classpath"), true);
        String name = options.require("--name");
        int connections = Integer.parseInt(options.require("--connections"));
        String messages = options.get("--messages", "100");
        String repeat = options.get("--repeat", "1");
        Path csv = Path.of(options.require("--csv"));
        String clientClasspath = options.require("--client-classpath");
        String java = ProcessHandle.current().info().command().orElse("java");

        ServerProcess server;
        try {
            server = ServerProcess.start(options.command(), 60);
        } catch (IOException e) {
            System.out.println("CONTEST name=" + name + " connections=" + connections + " FAILED: the server did not start: " + e);
            System.exit(1);
            return;
        }
        PeakSampler sampler = new PeakSampler(server.pid(), 5).start();
        List<String> client = List.of(java, "-Xss512k", "-cp", clientClasspath, EchoLoad.class.getName(),
            "--port", Integer.toString(server.port()), "--connections", Integer.toString(connections),
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
        double cpu = server.cpuSeconds();
        sampler.stop();
        boolean serverAlive = server.isAlive();
        server.close();

        Map<String, String> figures = new LinkedHashMap<>();
        if (result != null) {
            Matcher m = FIELD.matcher(result);
            while (m.find()) {
                figures.put(m.group(1), m.group(2));
            }
        }
        long errors = Long.parseLong(figures.getOrDefault("errors", "1")) + (clientExit == 0 ? 0 : 1) + (serverAlive ? 0 : 1);
        double rssMb = sampler.peakRssKb() / 1024.0;
        System.out.println(String.format(Locale.ROOT,
            "CONTEST name=%s connections=%d seconds=%s rtt_p50_us=%s rtt_p99_us=%s server_threads_peak=%d"
                + " server_rss_peak_mb=%.1f server_cpu_s=%.2f exchanges=%s errors=%d",
            name, connections, figures.getOrDefault("seconds", "-1"), figures.getOrDefault("rtt_p50_us", "-1"),
            figures.getOrDefault("rtt_p99_us", "-1"), sampler.peakThreads(), rssMb, cpu,
            figures.getOrDefault("exchanges", "0"), errors));
        new CsvRows("echo-contest", "echo-" + connections + "conn", name, repeat)
            .add("time", figures.getOrDefault("seconds", "-1"), "s")
            .add("rtt_p50", figures.getOrDefault("rtt_p50_us", "-1"), "us")
            .add("rtt_p99", figures.getOrDefault("rtt_p99_us", "-1"), "us")
            .add("server_threads_peak", sampler.peakThreads(), "threads")
            .add("server_rss_peak", rssMb, 1, "MB")
            .add("server_cpu", cpu, 2, "s")
            .add("errors", errors, "count")
            .appendTo(csv);
        System.exit(errors == 0 ? 0 : 1);
    }
}

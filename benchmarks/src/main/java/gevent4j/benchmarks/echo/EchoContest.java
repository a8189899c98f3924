package gevent4j.benchmarks.echo;

import gevent4j.benchmarks.proc.CsvRows;
import gevent4j.benchmarks.proc.DriverArgs;
import gevent4j.benchmarks.proc.IsolatedProcess;
import gevent4j.benchmarks.proc.PeakSampler;
import gevent4j.benchmarks.proc.ServerProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
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
 * takes the server's CPU time (user + system) and stops it; the server's and the client's CPU time in
 * the exchange phase alone are taken too. Prints one line
 * {@code CONTEST name=.. connections=.. seconds=.. rtt_p50_us=.. rtt_p99_us=.. server_threads_peak=..
 * server_rss_peak_mb=.. server_cpu_s=.. server_cpu_exchange_s=.. client_cpu_exchange_s=.. errors=..}
 * and appends the same figures to the CSV file
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

    /** Lets the paused client go on to its next phase. */
    private static void resume(OutputStream go) throws IOException {
        go.write('\n');
        go.flush();
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
        // The client pauses once every connection is up and once every exchange is done, so that the
        // server's CPU time can be read around the exchange phase alone (start-up, JIT compilation of
        // the accept path and connection set-up left out), beside the client's own for the same phase:
        // on a machine where both share the cores, the exchange time follows their sum.
        List<String> client = List.of(java, "-Xss512k", "-cp", clientClasspath, EchoLoad.class.getName(),
            "--port", Integer.toString(server.port()), "--connections", Integer.toString(connections),
            "--messages", messages, "--pause-between-phases", "true");
        Process load = IsolatedProcess.builder(client).start();
        String result = null;
        double cpuAtConnected = Double.NaN;
        double cpuAtExchanged = Double.NaN;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(load.getInputStream(), StandardCharsets.UTF_8));
             OutputStream go = load.getOutputStream()) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.equals("PHASE connected")) {
                    cpuAtConnected = server.cpuSeconds();
                    resume(go);
                } else if (line.equals("PHASE exchanged")) {
                    cpuAtExchanged = server.cpuSeconds();
                    resume(go);
                } else if (line.startsWith("RESULT ")) {
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
        double serverExchangeCpu = cpuAtExchanged - cpuAtConnected;
        String clientExchangeCpu = figures.getOrDefault("client_cpu_s", "-1");
        System.out.println(String.format(Locale.ROOT,
            "CONTEST name=%s connections=%d seconds=%s rtt_p50_us=%s rtt_p99_us=%s server_threads_peak=%d"
                + " server_rss_peak_mb=%.1f server_cpu_s=%.2f server_cpu_exchange_s=%.2f client_cpu_exchange_s=%s"
                + " exchanges=%s errors=%d",
            name, connections, figures.getOrDefault("seconds", "-1"), figures.getOrDefault("rtt_p50_us", "-1"),
            figures.getOrDefault("rtt_p99_us", "-1"), sampler.peakThreads(), rssMb, cpu, serverExchangeCpu,
            clientExchangeCpu, figures.getOrDefault("exchanges", "0"), errors));
        new CsvRows("echo-contest", "echo-" + connections + "conn", name, repeat)
            .add("time", figures.getOrDefault("seconds", "-1"), "s")
            .add("rtt_p50", figures.getOrDefault("rtt_p50_us", "-1"), "us")
            .add("rtt_p99", figures.getOrDefault("rtt_p99_us", "-1"), "us")
            .add("server_threads_peak", sampler.peakThreads(), "threads")
            .add("server_rss_peak", rssMb, 1, "MB")
            .add("server_cpu", cpu, 2, "s")
            .add("server_cpu_exchange", serverExchangeCpu, 2, "s")
            .add("client_cpu_exchange", clientExchangeCpu, "s")
            .add("errors", errors, "count")
            .appendTo(csv);
        System.exit(errors == 0 ? 0 : 1);
    }
}

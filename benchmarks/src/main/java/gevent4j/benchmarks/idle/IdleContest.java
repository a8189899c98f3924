package gevent4j.benchmarks.idle;

import gevent4j.benchmarks.proc.CsvRows;
import gevent4j.benchmarks.proc.DriverArgs;
import gevent4j.benchmarks.proc.IsolatedProcess;
import gevent4j.benchmarks.proc.Jcmd;
import gevent4j.benchmarks.proc.ProcStatus;
import gevent4j.benchmarks.proc.RssSettler;
import gevent4j.benchmarks.proc.ServerProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Idle connections: what holding one more open connection costs an echo server (the command after
 * {@code --}), each connection's handler blocked in {@code read}. {@link IdleClient} (its own JVM)
 * opens and confirms {@code --connections} connections and holds them.
 *
 * <p>RSS is read when it is steady (see {@link RssSettler}) and after a full collection
 * ({@code jcmd GC.run}), both before any connection and with every connection held:
 * {@code rss_per_conn = (RSS held − RSS before) / connections}. The collection removes the garbage
 * that opening the connections left in the young generation, whose amount depends on heap
 * ergonomics and GC timing rather than on what a connection holds; without it the figure moves with
 * where the collector happened to be. Both are reported: {@code rss_per_conn} (after the collection)
 * and {@code rss_per_conn_nogc} (steady, before it). RSS also holds heap the collector keeps
 * committed as headroom, so {@code heap_per_conn}, the live Java heap after each collection
 * ({@code GC.heap_info}) per connection, says how much of the figure the connections' objects are;
 * the rest is native memory and heap headroom. The server's OS threads are read with every
 * connection held. Attaching {@code jcmd} starts the server's Attach Listener thread, the same in
 * every configuration.
 *
 * <p>Teardown order matters at 100,000 connections: the server is stopped first, so that the
 * TIME_WAIT state of the closed connections stays with the server's (ephemeral) listening port
 * instead of taking the client's source ports from the next run.
 *
 * <p>Prints {@code IDLE name=.. connections=.. held=.. rss_before_mb=.. rss_held_mb=.. rss_per_conn_kb=..
 * rss_per_conn_nogc_kb=.. threads=.. errors=..} and appends the figures to the CSV (suite {@code idle},
 * benchmark {@code idle-<N>conn}). A server that does not survive the count (no connection confirmed
 * for {@code --stall-seconds}) gives {@code FAILED} with the number it held and an {@code errors}
 * row. {@code --histogram FILE} saves the server's class histogram with every connection held
 * ({@code jcmd GC.class_histogram}), {@code --smaps FILE} its {@code /proc/<pid>/smaps_rollup} before
 * and with the connections, for the explanation of the figure.
 */
public final class IdleContest {

    private static final String USAGE = "IdleContest --name N --connections C [--repeat R] --csv FILE --client-classpath CP"
        + " [--max-per-source N] [--stall-seconds S] [--expect-loop L] [--histogram FILE] [--smaps FILE] -- server command...";
    private static final Pattern FIELD = Pattern.compile("(\\w+)=([^ ]+)");
    /** The histogram's header and biggest classes (the whole one runs to thousands of lines), and its total. */
    private static final int HISTOGRAM_LINES = 60;
    private static final RssSettler SETTLER = new RssSettler(250, 3_000, 1_024, 120_000);

    private IdleContest() {
    }

    public static void main(String[] args) throws Exception {
        DriverArgs options = DriverArgs.parse(args, USAGE, List.of("--name", "--connections", "--repeat", "--csv",
            "--client-classpath", "--max-per-source", "--stall-seconds", "--expect-loop", "--histogram", "--smaps"), true);
        String name = options.require("--name");
        int connections = Integer.parseInt(options.require("--connections"));
        String repeat = options.get("--repeat", "1");
        Path csv = Path.of(options.require("--csv"));
        String expectLoop = options.get("--expect-loop", null);
        String java = ProcessHandle.current().info().command().orElse("java");
        CsvRows rows = new CsvRows("idle", "idle-" + connections + "conn", name, repeat);
        List<String> problems = new ArrayList<>();
        List<String> smaps = new ArrayList<>();

        try (ServerProcess server = ServerProcess.start(options.command(), 60)) {
            long pid = server.pid();
            if (expectLoop != null && !expectLoop.equals(Jcmd.systemProperty(pid, "gevent4j.loop"))) {
                problems.add("asked for loop " + expectLoop + ", the server runs " + Jcmd.systemProperty(pid, "gevent4j.loop"));
            }
            ProcStatus beforeNoGc = settle(pid, "before, steady", problems);
            Jcmd.gc(pid);
            ProcStatus before = settle(pid, "before, after GC.run", problems);
            long heapBefore = Jcmd.heapUsedKb(pid);
            smaps.add("# before any connection (after GC.run)");
            smaps.addAll(rollup(pid));

            Process client = IsolatedProcess.builder(List.of(java, "-cp", options.require("--client-classpath"),
                IdleClient.class.getName(), "--port", Integer.toString(server.port()),
                "--connections", Integer.toString(connections),
                "--max-per-source", options.get("--max-per-source", "10000"),
                "--stall-seconds", options.get("--stall-seconds", "30"))).start();
            try {
                String outcome = awaitOutcome(client);
                long held = Long.parseLong(field(outcome, "held", field(outcome, "connections", "0")));
                double connectSeconds = Double.parseDouble(field(outcome, "seconds", "-1"));
                rows.add("held", held, "count");
                if (!outcome.startsWith("HELD") || !server.isAlive()) {
                    problems.add("held " + held + " of " + connections + ": " + outcome
                        + (server.isAlive() ? "" : " (the server died)"));
                } else {
                    ProcStatus heldNoGc = settle(pid, "held, steady", problems);
                    Jcmd.gc(pid);
                    ProcStatus heldGc = settle(pid, "held, after GC.run", problems);
                    double heapPerConn = (Jcmd.heapUsedKb(pid) - heapBefore) / (double) connections;
                    smaps.add("# " + connections + " connections held (after GC.run)");
                    smaps.addAll(rollup(pid));
                    double perConn = (heldGc.rssKb() - before.rssKb()) / (double) connections;
                    double perConnNoGc = (heldNoGc.rssKb() - beforeNoGc.rssKb()) / (double) connections;
                    rows.add("connect_time", connectSeconds, 2, "s")
                        .add("rss_before", before.rssMb(), 1, "MB")
                        .add("rss_held", heldGc.rssMb(), 1, "MB")
                        .add("rss_per_conn", perConn, 2, "KB")
                        .add("rss_per_conn_nogc", perConnNoGc, 2, "KB")
                        .add("heap_per_conn", heapPerConn, 2, "KB")
                        .add("server_threads", heldNoGc.threads(), "threads");
                    System.out.println(String.format(Locale.ROOT,
                        "IDLE name=%s connections=%d held=%d connect_s=%.2f rss_before_mb=%.1f rss_held_mb=%.1f"
                            + " rss_per_conn_kb=%.2f rss_before_nogc_mb=%.1f rss_held_nogc_mb=%.1f rss_per_conn_nogc_kb=%.2f"
                            + " heap_per_conn_kb=%.2f threads_before=%d threads=%d",
                        name, connections, held, connectSeconds, before.rssMb(), heldGc.rssMb(), perConn,
                        beforeNoGc.rssMb(), heldNoGc.rssMb(), perConnNoGc, heapPerConn, before.threads(), heldNoGc.threads()));
                    String histogram = options.get("--histogram", null);
                    if (histogram != null) {
                        Files.writeString(Path.of(histogram), top(Jcmd.run(pid, "GC.class_histogram"), HISTOGRAM_LINES));
                    }
                }
            } finally {
                server.close();
                client.getOutputStream().close();
                if (!client.waitFor(120, TimeUnit.SECONDS)) {
                    client.destroyForcibly();
                }
            }
        }
        String smapsFile = options.get("--smaps", null);
        if (smapsFile != null && !smaps.isEmpty()) {
            Files.write(Path.of(smapsFile), smaps, StandardCharsets.UTF_8);
        }
        problems.forEach(p -> System.out.println("IDLE name=" + name + " connections=" + connections + " FAILED: " + p));
        rows.add("errors", problems.size(), "count").appendTo(csv);
        System.exit(problems.isEmpty() ? 0 : 1);
    }

    private static ProcStatus settle(long pid, String what, List<String> problems) throws IOException, InterruptedException {
        RssSettler.Result r = SETTLER.await(pid);
        if (!r.steady()) {
            problems.add("RSS " + what + " did not settle within " + r.waitedMillis() + " ms");
        }
        return r.status();
    }

    /**
     * Passes the client's progress lines on and returns its HELD or FAILED line (the client gives up
     * by itself when the server stops confirming connections).
     */
    private static String awaitOutcome(Process client) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("HELD ") || line.startsWith("FAILED ")) {
                return line;
            }
            System.out.println("[client] " + line);
        }
        return "FAILED held=0 reason=the_client_ended_without_a_result";
    }

    private static String top(String histogram, int lines) {
        String[] all = histogram.split("\n");
        StringBuilder kept = new StringBuilder();
        for (int i = 0; i < all.length; i++) {
            if (i < lines || all[i].startsWith("Total")) {
                kept.append(all[i]).append('\n');
            }
        }
        return kept.toString();
    }

    private static List<String> rollup(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"));
    }

    private static String field(String line, String name, String fallback) {
        Matcher m = FIELD.matcher(line);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return m.group(2);
            }
        }
        return fallback;
    }
}

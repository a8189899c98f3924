package gevent4j.benchmarks.startup;

import gevent4j.benchmarks.proc.CsvRows;
import gevent4j.benchmarks.proc.DriverArgs;
import gevent4j.benchmarks.proc.IsolatedProcess;
import gevent4j.benchmarks.proc.RssSettler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Start-up cost of one configuration, one process: runs {@link StartupApp} (the command after
 * {@code --}, which should carry {@code -Xlog:startuptime}) and measures
 * <ul>
 *   <li>{@code time_to_main}: from {@code System.nanoTime()} read here just before the process is
 *       started to the {@code System.nanoTime()} of the first statement of the app's {@code main}.
 *       Both read {@code CLOCK_MONOTONIC}, so the two processes' readings compare directly. It
 *       covers everything a user waits for: fork and exec, the launcher, creating the VM, the
 *       agent's {@code premain} and loading the main class;</li>
 *   <li>{@code create_vm}: HotSpot's own "Create VM" phase from {@code -Xlog:startuptime}, which
 *       runs from the launcher's call into the VM until the VM is initialised and includes the
 *       agent's {@code premain} (JPLIS runs it at VM initialisation), so its difference between
 *       configurations is the agent's share without the launcher and process creation;</li>
 *   <li>{@code rss_idle} and {@code threads_idle}: once {@code main} has run and the process idles,
 *       its RSS when steady (see {@link RssSettler}) and its OS threads.</li>
 * </ul>
 * Prints {@code STARTUP name=.. time_to_main_ms=.. create_vm_ms=.. rss_idle_mb=.. threads_idle=..}
 * and appends to the CSV (suite {@code startup}). {@code --expect-loop L} checks the loop the app
 * reports.
 */
public final class StartupProbe {

    private static final String USAGE = "StartupProbe --name N [--repeat R] --csv FILE [--expect-loop L] -- app command...";
    private static final Pattern MAIN = Pattern.compile("^main (-?\\d+)$");
    private static final Pattern CREATE_VM = Pattern.compile("\\[startuptime\\]\\s*Create VM, ([0-9.]+) secs");
    private static final RssSettler SETTLER = new RssSettler(100, 1_000, 256, 30_000);

    private StartupProbe() {
    }

    public static void main(String[] args) throws Exception {
        DriverArgs options = DriverArgs.parse(args, USAGE, List.of("--name", "--repeat", "--csv", "--expect-loop"), true);
        String name = options.require("--name");
        String expectLoop = options.get("--expect-loop", "none");
        List<String> problems = new ArrayList<>();

        ProcessBuilder builder = IsolatedProcess.builder(options.command());
        long started = System.nanoTime();
        Process app = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
        double createVmMillis = -1;
        double timeToMainMillis = -1;
        String loop = null;
        String line;
        while (loop == null && (line = out.readLine()) != null) {
            Matcher main = MAIN.matcher(line);
            Matcher createVm = CREATE_VM.matcher(line);
            if (main.matches()) {
                timeToMainMillis = (Long.parseLong(main.group(1)) - started) / 1e6;
            } else if (createVm.find()) {
                createVmMillis = Double.parseDouble(createVm.group(1)) * 1000;
            } else if (line.startsWith("loop=")) {
                loop = line.substring("loop=".length());
            }
        }
        RssSettler.Result idle = app.isAlive() ? SETTLER.await(app.pid()) : null;
        app.getOutputStream().close();
        if (!app.waitFor(30, TimeUnit.SECONDS)) {
            app.destroyForcibly();
            problems.add("the app did not exit when its input ended");
        }
        if (timeToMainMillis < 0 || idle == null) {
            problems.add("the app did not report main (exit " + (app.isAlive() ? "-" : app.exitValue()) + ")");
        } else if (!idle.steady()) {
            problems.add("RSS did not settle within " + idle.waitedMillis() + " ms");
        }
        if (createVmMillis < 0) {
            problems.add("no 'Create VM' line: run the app with -Xlog:startuptime");
        }
        if (!expectLoop.equals(loop)) {
            problems.add("asked for loop " + expectLoop + ", the app reports " + loop);
        }

        CsvRows rows = new CsvRows("startup", "trivial-app", name, options.get("--repeat", "1"));
        if (idle != null && timeToMainMillis >= 0) {
            System.out.println(String.format(Locale.ROOT,
                "STARTUP name=%s time_to_main_ms=%.1f create_vm_ms=%.1f rss_idle_mb=%.1f threads_idle=%d",
                name, timeToMainMillis, createVmMillis, idle.status().rssMb(), idle.status().threads()));
            rows.add("time_to_main", timeToMainMillis, 1, "ms")
                .add("create_vm", createVmMillis, 1, "ms")
                .add("rss_idle", idle.status().rssMb(), 1, "MB")
                .add("threads_idle", idle.status().threads(), "threads");
        }
        problems.forEach(p -> System.out.println("STARTUP name=" + name + " FAILED: " + p));
        rows.add("errors", problems.size(), "count").appendTo(Path.of(options.require("--csv")));
        System.exit(problems.isEmpty() ? 0 : 1);
    }
}

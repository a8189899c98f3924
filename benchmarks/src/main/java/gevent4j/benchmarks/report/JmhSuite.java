package gevent4j.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the JMH suite once in one configuration: JMH's own JSON result file ({@code -rf json}) plus
 * one CSV row per benchmark appended to the harness's {@code results.csv}.
 *
 * <p>Usage: {@code JmhSuite --config NAME --json FILE --csv FILE [--jvm-args "ARGS"] [--include REGEX]
 * [--warmup N] [--iterations N] [--time SECONDS] [--suite NAME] [--repeat N] [--config-from-param P]}.
 * {@code --suite} and {@code --repeat} fill the CSV's first and fourth columns (default {@code jmh}
 * and 1); with {@code --config-from-param loop}, a result whose benchmark has a {@code loop}
 * parameter gets that parameter's value as its configuration (the round trip's {@code jdk},
 * {@code libev}, {@code libuv}), and the others get {@code --config}. {@code --jvm-args} is split on spaces and given
 * to JMH as {@code jvmArgsAppend}: that is where the configuration lives (nothing for plain
 * platform threads, {@code -javaagent:...} for gevent4j, {@code -Dbench.threads=virtual ...} for
 * stock Loom). Exits 1 if JMH failed or any benchmark produced no result.
 */
public final class JmhSuite {

    private static final String DEFAULT_INCLUDE = "gevent4j\\.benchmarks\\.jmh\\..*";

    private JmhSuite() {
    }

    public static void main(String[] args) throws IOException {
        String config = null;
        Path json = null;
        Path csv = null;
        String jvmArgs = "";
        String include = DEFAULT_INCLUDE;
        Integer warmup = null;
        Integer iterations = null;
        Integer seconds = null;
        String suite = "jmh";
        String repeat = "1";
        String configParam = null;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                usage("missing value for " + name);
            }
            String value = args[++i];
            switch (name) {
                case "--config" -> config = value;
                case "--json" -> json = Path.of(value);
                case "--csv" -> csv = Path.of(value);
                case "--jvm-args" -> jvmArgs = value.trim();
                case "--include" -> include = value;
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--iterations" -> iterations = Integer.parseInt(value);
                case "--time" -> seconds = Integer.parseInt(value);
                case "--suite" -> suite = value;
                case "--repeat" -> repeat = Integer.toString(Integer.parseInt(value));
                case "--config-from-param" -> configParam = value;
                default -> usage("unknown option " + name);
            }
        }
        if (config == null || json == null || csv == null) {
            usage("--config, --json and --csv are required");
        }

        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(include)
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString())
                // A configuration that hangs must not stall the whole suite for JMH's default 10 minutes.
                .timeout(TimeValue.seconds(60));
        if (!jvmArgs.isEmpty()) {
            options.jvmArgsAppend(jvmArgs.split("\\s+"));
        }
        if (warmup != null) {
            options.warmupIterations(warmup);
        }
        if (iterations != null) {
            options.measurementIterations(iterations);
        }
        if (seconds != null) {
            options.warmupTime(TimeValue.seconds(seconds)).measurementTime(TimeValue.seconds(seconds));
        }

        System.out.println("== JMH, configuration '" + config + "'" + (jvmArgs.isEmpty() ? "" : ": jvmArgsAppend " + jvmArgs));
        Collection<RunResult> results;
        try {
            results = new Runner(options.build()).run();
        } catch (RunnerException e) {
            System.err.println("jmh-suite: JMH failed for configuration '" + config + "': " + e);
            e.printStackTrace();
            System.exit(1);
            return;
        }

        List<String> rows = new ArrayList<>();
        for (RunResult run : results) {
            Result<?> primary = run.getPrimaryResult();
            String benchmark = shortName(run.getParams().getBenchmark());
            String rowConfig = config;
            if (configParam != null && run.getParams().getParamsKeys().contains(configParam)) {
                rowConfig = run.getParams().getParam(configParam);
            }
            rows.add(Csv.row(suite, benchmark, rowConfig, repeat, "score",
                    number(primary.getScore()), number(primary.getScoreError()), primary.getScoreUnit()));
            rows.add(Csv.row(suite, benchmark, rowConfig, repeat, "min",
                    number(primary.getStatistics().getMin()), "", primary.getScoreUnit()));
            rows.add(Csv.row(suite, benchmark, rowConfig, repeat, "max",
                    number(primary.getStatistics().getMax()), "", primary.getScoreUnit()));
        }
        Csv.append(csv, rows);
        System.out.println("jmh-suite: configuration '" + config + "': " + results.size() + " benchmark results -> " + json);
        if (results.isEmpty()) {
            System.exit(1);
        }
    }

    /** {@code gevent4j.benchmarks.jmh.SwitchBenchmark.parkUnpark} becomes {@code SwitchBenchmark.parkUnpark}. */
    static String shortName(String benchmark) {
        int method = benchmark.lastIndexOf('.');
        int type = benchmark.lastIndexOf('.', method - 1);
        return benchmark.substring(type + 1);
    }

    static String number(double value) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "" : String.format(Locale.ROOT, "%.4f", value);
    }

    private static void usage(String problem) {
        System.err.println("jmh-suite: " + problem);
        System.err.println("usage: JmhSuite --config NAME --json FILE --csv FILE [--jvm-args \"ARGS\"] [--include REGEX]"
                + " [--warmup N] [--iterations N] [--time SECONDS] [--suite NAME] [--repeat N] [--config-from-param P]");
        System.exit(2);
    }

    /** The harness's results.csv: suite,benchmark,config,repeat,metric,value,error,unit. */
    static final class Csv {
        static final String HEADER = "suite,benchmark,config,repeat,metric,value,error,unit";

        private Csv() {
        }

        static String row(String... fields) {
            for (String field : fields) {
                if (field.indexOf(',') >= 0 || field.indexOf('"') >= 0 || field.indexOf('\n') >= 0) {
                    throw new IllegalArgumentException("CSV field needs no quoting here: " + field);
                }
            }
            return String.join(",", fields);
        }

        static void append(Path csv, List<String> rows) throws IOException {
            if (!Files.exists(csv)) {
                Files.writeString(csv, HEADER + "\n", StandardCharsets.UTF_8);
            }
            Files.write(csv, rows, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }
    }
}

package gevent4j.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints {@code results.csv} side by side, one block per suite: one line per benchmark and metric,
 * one column per configuration that the suite has ({@code platform}, {@code gevent4j},
 * {@code gevent4j-jdk}/{@code -libev}/{@code -libuv}/{@code -libev-ffm}/{@code -libuv-ffm}, {@code loom},
 * {@code loom-noop-agent}, the round trip's {@code jdk}/{@code libev}/{@code libuv}/{@code libev-ffm}/
 * {@code libuv-ffm} and its C floor {@code c-libev}), then ratios: gevent4j / platform, gevent4j / loom
 * and gevent4j / loom-noop-agent for the JMH suite; each loop / the C floor wherever a suite has
 * {@code c-libev} (the round trip, the echo contest, the syscall count); each agent loop / platform
 * wherever a suite has both; and, where a suite has every loop under the agent, the
 * slowest loop's mean over the fastest's ({@code loops max/min}). A JMH cell is
 * {@code score ± error} (99.9 % confidence half-width); a cell repeated several times is
 * {@code mean (min..max)}.
 *
 * <p>Usage: {@code Summary results.csv}.
 */
public final class Summary {

    /** Column order; configurations not listed here follow in the order they first appear. */
    private static final List<String> ORDER = List.of("platform", "gevent4j", "gevent4j-jdk", "gevent4j-libev",
            "gevent4j-libuv", "gevent4j-libev-ffm", "gevent4j-libuv-ffm", "loom", "loom-p1", "loom-noop-agent", "netty",
            "jdk", "libev", "libuv", "libev-ffm", "libuv-ffm", "c-libev",
            "java-ffm", "c");
    private static final List<String> AGENT_LOOPS = List.of("gevent4j-jdk", "gevent4j-libev", "gevent4j-libuv",
            "gevent4j-libev-ffm", "gevent4j-libuv-ffm");
    private static final List<String> LOOPS = List.of("jdk", "libev", "libuv", "libev-ffm", "libuv-ffm");

    private Summary() {
    }

    private record Key(String suite, String benchmark, String metric, String unit) {
    }

    private static final class Cell {
        final List<Double> values = new ArrayList<>();
        double error = Double.NaN;

        double mean() {
            return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }

        String text() {
            if (values.isEmpty()) {
                return "-";
            }
            if (values.size() == 1) {
                return Double.isNaN(error) ? format(values.get(0)) : format(values.get(0)) + " ± " + format(error);
            }
            double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            return format(mean()) + " (" + format(min) + ".." + format(max) + ")";
        }
    }

    private record Ratio(String title, String numerator, String denominator) {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: Summary results.csv");
            System.exit(2);
        }
        List<String> lines = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        Map<String, Map<Key, Map<String, Cell>>> suites = new LinkedHashMap<>();
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length < 8 || f[5].isEmpty()) {
                continue;
            }
            String metric = f[4];
            // JMH-style rows also carry min and max; the summary shows the score and its error.
            if ((f[0].equals("jmh") || f[0].equals("roundtrip")) && !metric.equals("score")) {
                continue;
            }
            Key key = new Key(f[0], f[1], metric, f[7]);
            Cell cell = suites.computeIfAbsent(f[0], k -> new LinkedHashMap<>())
                    .computeIfAbsent(key, k -> new LinkedHashMap<>())
                    .computeIfAbsent(f[2], c -> new Cell());
            cell.values.add(Double.parseDouble(f[5]));
            if (!f[6].isEmpty()) {
                cell.error = Double.parseDouble(f[6]);
            }
        }

        for (Map.Entry<String, Map<Key, Map<String, Cell>>> suite : suites.entrySet()) {
            List<String> configs = new ArrayList<>();
            for (Map<String, Cell> cells : suite.getValue().values()) {
                for (String config : cells.keySet()) {
                    if (!configs.contains(config)) {
                        configs.add(config);
                    }
                }
            }
            configs.sort((a, b) -> Integer.compare(rank(a), rank(b)));
            List<Ratio> ratios = ratios(suite.getKey(), configs);

            StringBuilder format = new StringBuilder("%-36s %-20s %-6s");
            List<Object> header = new ArrayList<>(List.of("benchmark", "metric", "unit"));
            for (String config : configs) {
                format.append(" %22s");
                header.add(config);
            }
            for (Ratio ratio : ratios) {
                format.append(" %" + Math.max(9, ratio.title().length()) + "s");
                header.add(ratio.title());
            }
            format.append("%n");
            System.out.println("-- " + suite.getKey());
            System.out.printf(Locale.ROOT, format.toString(), header.toArray());
            for (Map.Entry<Key, Map<String, Cell>> row : suite.getValue().entrySet()) {
                Key key = row.getKey();
                Map<String, Cell> cells = row.getValue();
                List<Object> texts = new ArrayList<>(List.of(key.benchmark(), key.metric(), key.unit()));
                for (String config : configs) {
                    Cell cell = cells.get(config);
                    texts.add(cell == null ? "-" : cell.text());
                }
                for (Ratio ratio : ratios) {
                    texts.add(ratio.denominator() == null ? spread(cells, AGENT_LOOPS)
                            : ratio(cells.get(ratio.numerator()), cells.get(ratio.denominator())));
                }
                System.out.printf(Locale.ROOT, format.toString(), texts.toArray());
            }
            System.out.println();
        }
    }

    private static int rank(String config) {
        int i = ORDER.indexOf(config);
        return i < 0 ? ORDER.size() : i;
    }

    private static List<Ratio> ratios(String suite, List<String> configs) {
        List<Ratio> ratios = new ArrayList<>();
        if (suite.equals("jmh")) {
            ratios.add(new Ratio("g4j/plat", "gevent4j", "platform"));
            ratios.add(new Ratio("g4j/loom", "gevent4j", "loom"));
            ratios.add(new Ratio("g4j/l+a", "gevent4j", "loom-noop-agent"));
        }
        for (String loop : LOOPS) {
            // The round trip names its configurations by loop, the whole-process suites by agent loop.
            String agent = "gevent4j-" + loop;
            if (configs.contains("c-libev") && configs.contains(loop)) {
                ratios.add(new Ratio(loop + "/C", loop, "c-libev"));
            } else if (configs.contains("c-libev") && configs.contains(agent)) {
                ratios.add(new Ratio(loop + "/C", agent, "c-libev"));
            }
            if (configs.contains("platform") && configs.contains(agent)) {
                ratios.add(new Ratio(loop + "/plat", agent, "platform"));
            }
        }
        if (configs.contains("java-ffm") && configs.contains("c")) {
            ratios.add(new Ratio("ffm/C", "java-ffm", "c"));
        }
        if (configs.containsAll(AGENT_LOOPS)) {
            ratios.add(new Ratio("loops max/min", null, null));
        }
        return ratios;
    }

    /** Slowest over fastest mean among the configurations, or - when one is missing. */
    private static String spread(Map<String, Cell> cells, List<String> configs) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (String config : configs) {
            Cell cell = cells.get(config);
            if (cell == null || cell.values.isEmpty()) {
                return "-";
            }
            min = Math.min(min, cell.mean());
            max = Math.max(max, cell.mean());
        }
        if (!(min > 0)) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2fx", max / min);
    }

    private static String ratio(Cell a, Cell b) {
        if (a == null || b == null) {
            return "-";
        }
        double x = a.mean();
        double y = b.mean();
        if (Double.isNaN(x) || Double.isNaN(y) || y == 0) {
            return "-";
        }
        double r = x / y;
        return String.format(Locale.ROOT, r < 0.1 ? "%.3fx" : "%.2fx", r);
    }

    static String format(double v) {
        double abs = Math.abs(v);
        if (abs >= 1000 || v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (abs >= 100) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (abs >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }
}

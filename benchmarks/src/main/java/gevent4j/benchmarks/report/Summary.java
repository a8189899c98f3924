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
 * Prints {@code results.csv} side by side: one line per benchmark and metric, one column per
 * configuration ({@code platform}, {@code gevent4j}, {@code loom}, {@code loom-noop-agent}), then
 * the ratios gevent4j / platform, gevent4j / loom and gevent4j / loom-noop-agent. A JMH cell is {@code score ± error} (99.9 % confidence
 * half-width); a whole-process cell repeated several times is {@code mean (min..max)}.
 *
 * <p>Usage: {@code Summary results.csv}.
 */
public final class Summary {

    private static final List<String> CONFIGS = List.of("platform", "gevent4j", "loom", "loom-noop-agent");

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

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: Summary results.csv");
            System.exit(2);
        }
        List<String> lines = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        Map<Key, Map<String, Cell>> table = new LinkedHashMap<>();
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length < 8 || f[5].isEmpty()) {
                continue;
            }
            String metric = f[4];
            if (f[0].equals("jmh") && !metric.equals("score")) {
                continue;
            }
            Key key = new Key(f[0], f[1], metric, f[7]);
            Cell cell = table.computeIfAbsent(key, k -> new LinkedHashMap<>()).computeIfAbsent(f[2], c -> new Cell());
            cell.values.add(Double.parseDouble(f[5]));
            if (!f[6].isEmpty()) {
                cell.error = Double.parseDouble(f[6]);
            }
        }

        String format = "%-34s %-20s %-8s %22s %22s %22s %22s %9s %9s %9s%n";
        System.out.printf(Locale.ROOT, format, "benchmark", "metric", "unit", "platform", "gevent4j", "loom",
                "loom+noop-agent", "g4j/plat", "g4j/loom", "g4j/l+a");
        String lastSuite = null;
        for (Map.Entry<Key, Map<String, Cell>> row : table.entrySet()) {
            Key key = row.getKey();
            if (!key.suite().equals(lastSuite)) {
                System.out.println("-- " + key.suite());
                lastSuite = key.suite();
            }
            Map<String, Cell> cells = row.getValue();
            List<String> texts = new ArrayList<>();
            for (String config : CONFIGS) {
                Cell cell = cells.get(config);
                texts.add(cell == null ? "-" : cell.text());
            }
            System.out.printf(Locale.ROOT, format, key.benchmark(), key.metric(), key.unit(),
                    texts.get(0), texts.get(1), texts.get(2), texts.get(3),
                    ratio(cells.get("gevent4j"), cells.get("platform")),
                    ratio(cells.get("gevent4j"), cells.get("loom")),
                    ratio(cells.get("gevent4j"), cells.get("loom-noop-agent")));
        }
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

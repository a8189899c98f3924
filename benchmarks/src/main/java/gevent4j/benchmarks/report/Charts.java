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
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Renders {@code results.csv} as PNG bar charts, one per suite, benchmark and metric: one bar per
 * configuration, the mean over repeats, with the min..max spread as an error bar (for JMH rows the
 * score with its 99.9 % error). The files are named {@code <suite>--<benchmark>--<metric>.png};
 * {@code docs/performance.md} shows the ones it discusses.
 *
 * <p>Usage: {@code Charts results.csv output-directory}.
 */
public final class Charts {

    private Charts() {
    }

    private record Key(String suite, String benchmark, String metric, String unit) {
    }

    /** Values of one configuration for one key: repeats, or one JMH score with its error. */
    private static final class Bar {
        final List<Double> values = new ArrayList<>();
        double jmhError = Double.NaN;

        double mean() {
            return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        }

        double spread() {
            if (!Double.isNaN(jmhError)) {
                return jmhError;
            }
            double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
            double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
            return (max - min) / 2;
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: Charts results.csv output-directory");
            System.exit(2);
        }
        Map<Key, Map<String, Bar>> table = read(Path.of(args[0]));
        Path out = Files.createDirectories(Path.of(args[1]));
        int written = 0;
        for (Map.Entry<Key, Map<String, Bar>> e : table.entrySet()) {
            Key key = e.getKey();
            Map<String, Bar> bars = e.getValue();
            if (bars.values().stream().allMatch(b -> Double.isNaN(b.mean()))) {
                continue;
            }
            CategoryChart chart = new CategoryChartBuilder().width(720).height(400)
                .title(key.suite() + ": " + key.benchmark() + " " + key.metric())
                .xAxisTitle("configuration").yAxisTitle(key.metric() + " (" + key.unit() + ")").build();
            chart.getStyler().setLegendVisible(false);
            chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
            chart.getStyler().setLabelsVisible(true);
            chart.getStyler().setLabelsFontColorAutomaticEnabled(false);
            chart.getStyler().setXAxisLabelRotation(20);
            chart.getStyler().setErrorBarsColor(java.awt.Color.DARK_GRAY);
            chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
            List<String> configs = new ArrayList<>();
            List<Double> means = new ArrayList<>();
            List<Double> errors = new ArrayList<>();
            for (Map.Entry<String, Bar> bar : bars.entrySet()) {
                configs.add(bar.getKey());
                means.add(bar.getValue().mean());
                errors.add(bar.getValue().spread());
            }
            chart.addSeries(key.metric(), configs, means, errors);
            String name = (key.suite() + "--" + key.benchmark() + "--" + key.metric()).replaceAll("[^A-Za-z0-9._-]+", "_");
            BitmapEncoder.saveBitmap(chart, out.resolve(name + ".png").toString(), BitmapEncoder.BitmapFormat.PNG);
            written++;
        }
        System.out.println("charts: " + written + " PNG files in " + out);
    }

    /** suite,benchmark,config,repeat,metric,value,error,unit, in file order. */
    private static Map<Key, Map<String, Bar>> read(Path csv) throws IOException {
        Map<Key, Map<String, Bar>> table = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.split(",", -1);
            if (f.length < 8) {
                continue;
            }
            double value;
            try {
                value = Double.parseDouble(f[5]);
            } catch (NumberFormatException notANumber) {
                continue;
            }
            if (value < 0) {
                continue; // "-1": not measured
            }
            Key key = new Key(f[0], f[1], f[4], f[7]);
            Bar bar = table.computeIfAbsent(key, k -> new LinkedHashMap<>()).computeIfAbsent(f[2], c -> new Bar());
            bar.values.add(value);
            if (!f[6].isEmpty()) {
                try {
                    bar.jmhError = Double.parseDouble(f[6]);
                } catch (NumberFormatException ignored) {
                    // no error column
                }
            }
        }
        return table;
    }

    static String format(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}

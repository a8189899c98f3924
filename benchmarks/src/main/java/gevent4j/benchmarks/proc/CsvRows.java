package gevent4j.benchmarks.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rows one measurement adds to {@code results.csv}
 * ({@code suite,benchmark,config,repeat,metric,value,error,unit}), which {@code Summary} and
 * {@code Charts} read. Written in one append at the end, so that a measurement that dies half-way
 * leaves no half of its rows.
 */
public final class CsvRows {

    private final String suite;
    private final String benchmark;
    private final String config;
    private final String repeat;
    private final List<String> rows = new ArrayList<>();

    public CsvRows(String suite, String benchmark, String config, String repeat) {
        this.suite = suite;
        this.benchmark = benchmark;
        this.config = config;
        this.repeat = repeat;
    }

    public CsvRows add(String metric, String value, String unit) {
        rows.add(String.join(",", suite, benchmark, config, repeat, metric, value, "", unit));
        return this;
    }

    public CsvRows add(String metric, long value, String unit) {
        return add(metric, Long.toString(value), unit);
    }

    /** A value with {@code decimals} digits after the point, in the C locale. */
    public CsvRows add(String metric, double value, int decimals, String unit) {
        return add(metric, String.format(Locale.ROOT, "%." + decimals + "f", value), unit);
    }

    public void appendTo(Path csv) throws IOException {
        Files.write(csv, rows, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}

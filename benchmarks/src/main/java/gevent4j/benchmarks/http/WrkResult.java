package gevent4j.benchmarks.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code wrk --latency} printed: requests per second, the latency percentiles of its "Latency
 * Distribution" block and the maximum of its "Thread Stats" block (in milliseconds), the request
 * count, and the errors: socket errors (connect, read, write, timeout) plus non-2xx/3xx responses.
 */
record WrkResult(double requestsPerSecond, double p50Millis, double p99Millis, double maxMillis, long requests,
                 long errors) {

    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");
    private static final Pattern LATENCY_LINE = Pattern.compile("Latency\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)");
    private static final Pattern SOCKET_ERRORS =
        Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

    /** Parses wrk's output; throws when it has no result (wrk failed). */
    static WrkResult parse(String output) {
        Matcher rps = RPS.matcher(output);
        Matcher requests = REQUESTS.matcher(output);
        Matcher latency = LATENCY_LINE.matcher(output);
        if (!rps.find() || !requests.find() || !latency.find()) {
            throw new IllegalArgumentException("no wrk result in: " + output);
        }
        long errors = 0;
        Matcher socket = SOCKET_ERRORS.matcher(output);
        if (socket.find()) {
            for (int g = 1; g <= 4; g++) {
                errors += Long.parseLong(socket.group(g));
            }
        }
        Matcher non2xx = NON_2XX.matcher(output);
        if (non2xx.find()) {
            errors += Long.parseLong(non2xx.group(1));
        }
        return new WrkResult(Double.parseDouble(rps.group(1)), percentile(output, "50"), percentile(output, "99"),
            millis(latency.group(3)), Long.parseLong(requests.group(1)), errors);
    }

    private static double percentile(String output, String p) {
        Matcher m = Pattern.compile("\\n\\s+" + p + "%\\s+(\\S+)").matcher(output);
        if (!m.find()) {
            throw new IllegalArgumentException("no " + p + "% latency (was wrk run with --latency?)");
        }
        return millis(m.group(1));
    }

    /** wrk prints durations as 850.00us, 51.23ms, 1.02s or 1.50m. */
    static double millis(String text) {
        Matcher m = Pattern.compile("([0-9.]+)(us|ms|s|m)").matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a wrk duration: " + text);
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "ms" -> v;
            case "s" -> v * 1000;
            default -> v * 60_000;
        };
    }
}

package gevent4j.benchmarks.proc;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of a measurement driver: {@code --name value} options, then {@code --} and the
 * command of the process it measures. Unknown options are refused, so that a typo in
 * {@code benchmarks/run} fails loudly instead of measuring with a default.
 */
public final class DriverArgs {

    private final String usage;
    private final Map<String, String> options = new LinkedHashMap<>();
    private final List<String> command;

    private DriverArgs(String usage, Map<String, String> options, List<String> command) {
        this.usage = usage;
        this.options.putAll(options);
        this.command = command;
    }

    /** Parses {@code args}; exits with status 2 and {@code usage} on an unknown option or a missing command. */
    public static DriverArgs parse(String[] args, String usage, List<String> known, boolean commandRequired) {
        int dash = Arrays.asList(args).indexOf("--");
        int end = dash < 0 ? args.length : dash;
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < end; i += 2) {
            if (!known.contains(args[i]) || i + 1 >= end) {
                fail(usage, "bad option " + args[i]);
            }
            options.put(args[i], args[i + 1]);
        }
        List<String> command = dash < 0 ? List.of() : List.of(args).subList(dash + 1, args.length);
        if (commandRequired && command.isEmpty()) {
            fail(usage, "no command after --");
        }
        return new DriverArgs(usage, options, command);
    }

    public String get(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    public String require(String name) {
        String value = options.get(name);
        if (value == null) {
            fail(usage, "missing " + name);
        }
        return value;
    }

    public int intValue(String name, int fallback) {
        String value = options.get(name);
        return value == null ? fallback : Integer.parseInt(value);
    }

    public List<String> command() {
        return command;
    }

    private static void fail(String usage, String problem) {
        System.err.println(problem);
        System.err.println("usage: " + usage);
        System.exit(2);
    }
}

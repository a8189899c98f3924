package gevent4j.hub;

import gevent4j.loop.LoopProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Picks the first usable loop of the {@code loop} preference list (gevent's {@code _import_one_of}),
 * remembering why each earlier one was skipped, so that {@code info} and the start-up line can say.
 */
public final class LoopSelector {

    /** Shorthand names and the classes that implement them. */
    static final Map<String, String> SHORTHANDS = Map.of(
        "jdk", "gevent4j.loops.jdk.JdkLoopProvider",
        "libev", "gevent4j.loops.libev.LibevLoopProvider",
        "libuv", "gevent4j.loops.libuv.LibuvLoopProvider",
        "libev-ffm", "gevent4j.loops.libev.LibevFfmLoopProvider",
        "libuv-ffm", "gevent4j.loops.libuv.LibuvFfmLoopProvider");

    /** The outcome: the chosen provider (null when none is usable) and why others were skipped. */
    public record Selection(LoopProvider chosen, List<String> skipped) {
    }

    private LoopSelector() {
    }

    public static Selection select(List<String> preference) {
        List<String> skipped = new ArrayList<>();
        for (String name : preference) {
            LoopProvider provider;
            try {
                provider = load(name);
            } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
                skipped.add(name + ": " + describeLoadFailure(name, e));
                continue;
            }
            if (provider.isAvailable()) {
                return new Selection(provider, skipped);
            }
            skipped.add(name + ": " + provider.unavailabilityCause().getMessage());
        }
        return new Selection(null, skipped);
    }

    /**
     * Whether {@link #probeAhead} has anything worth a thread of its own: the list starts with a
     * built-in loop other than {@code jdk}, whose probe loads a native library and its binding.
     */
    public static boolean probesNativeFirst(List<String> preference) {
        return !preference.isEmpty() && SHORTHANDS.containsKey(preference.get(0)) && !preference.get(0).equals("jdk");
    }

    /**
     * Probes, ahead of {@link #select}, the built-in loops that {@code select(preference)} will
     * probe: along the list up to the first that is available, stopping at a name that is not a
     * shorthand (a user's class is created only by {@code select}, on the thread that starts the Hub).
     * The built-in providers probe their library once per process (in a class initialiser), so
     * this only moves that work earlier, onto the calling thread: a {@code select} that comes while
     * it runs waits for the same outcome, and chooses the same loop with the same reasons.
     * Never throws: what fails here fails again, with its reason, in {@code select}.
     */
    public static void probeAhead(List<String> preference) {
        for (String name : preference) {
            if (!SHORTHANDS.containsKey(name)) {
                return;
            }
            try {
                if (load(name).isAvailable()) {
                    return;
                }
            } catch (Throwable e) {
                // select() meets it again, says why, and goes on to the next name, as here
            }
        }
    }

    /** Every known loop with its availability, for {@code info}. */
    public static List<String> describeAll() {
        List<String> lines = new ArrayList<>();
        for (String name : List.of("jdk", "libev", "libuv", "libev-ffm", "libuv-ffm")) {
            try {
                LoopProvider p = load(name);
                lines.add(p.isAvailable() ? p.describe() : name + ": not available: " + p.unavailabilityCause().getMessage());
            } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
                lines.add(name + ": not available: " + describeLoadFailure(name, e));
            }
        }
        return lines;
    }

    static LoopProvider load(String name) throws ReflectiveOperationException {
        String className = SHORTHANDS.getOrDefault(name, name);
        Class<?> type;
        try {
            type = Class.forName(className, true, LoopSelector.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            // A user-supplied loop lives on the application's class path.
            type = Class.forName(className, true, ClassLoader.getSystemClassLoader());
        }
        return (LoopProvider) type.getDeclaredConstructor().newInstance();
    }

    private static String describeLoadFailure(String name, Throwable e) {
        if (SHORTHANDS.containsKey(name) && e instanceof ClassNotFoundException) {
            return "not built into this version of gevent4j (the native loops arrive in a later release)";
        }
        return "cannot load " + SHORTHANDS.getOrDefault(name, name) + ": " + e;
    }
}

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

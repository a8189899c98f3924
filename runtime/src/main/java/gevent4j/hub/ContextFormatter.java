package gevent4j.hub;

import java.util.List;
import java.util.function.Function;

/**
 * Resolves {@code format_context}: the first entry of the preference list that can be used. The
 * built-in {@code safe} is {@code gevent4j.GreenletTree.safeFormat} (answered as null here, which
 * the public API reads as "use the default"); any other entry names a public class with a public
 * no-argument constructor that implements {@code java.util.function.Function<Object, String>},
 * loaded from the application's class path.
 */
final class ContextFormatter {

    private ContextFormatter() {
    }

    /**
     * @param notes where an unusable entry is explained
     * @return the formatter, or null for {@code safe}
     */
    @SuppressWarnings("unchecked")
    static Function<Object, String> resolve(List<String> entries, List<String> notes) {
        for (String entry : entries) {
            if (entry.equals("safe")) {
                return null;
            }
            try {
                Class<?> type = Class.forName(entry, true, ClassLoader.getSystemClassLoader());
                Object instance = type.getDeclaredConstructor().newInstance();
                if (instance instanceof Function<?, ?> f) {
                    return (Function<Object, String>) f;
                }
                notes.add("format_context " + entry + ": is not a java.util.function.Function; skipped");
            } catch (ReflectiveOperationException | LinkageError e) {
                notes.add("format_context " + entry + ": cannot be used (" + e + "); skipped");
            }
        }
        notes.add("format_context: no entry usable; using safe");
        return null;
    }
}

package gevent4j.config;

import java.util.ArrayList;
import java.util.List;

/** Finds setting names close to a misspelt one, for "did you mean" hints. */
final class Suggestions {
    private Suggestions() {
    }

    /**
     * The known setting names within a small edit distance of {@code name}, or containing it / contained in it.
     * There are only about twenty settings, so a plain Levenshtein scan is cheap.
     */
    static List<String> closeTo(String name) {
        String wanted = name.toLowerCase(java.util.Locale.ROOT).replace('-', '_');
        List<String> close = new ArrayList<>();
        for (Setting<?> setting : Settings.all()) {
            String known = setting.name();
            int allowed = Math.max(2, known.length() / 4);
            boolean overlaps = wanted.length() >= 4 && (known.contains(wanted) || wanted.contains(known));
            if (overlaps || distance(wanted, known) <= allowed) {
                close.add(known);
            }
        }
        return close;
    }

    /** A hint such as {@code "; did you mean loop?"} or, when nothing is close, the list of all names. */
    static String hint(String name, String prefix) {
        List<String> close = closeTo(name);
        List<String> shown = new ArrayList<>();
        if (close.isEmpty()) {
            for (Setting<?> setting : Settings.all()) {
                shown.add(prefix + setting.name());
            }
            return "; known settings: " + String.join(", ", shown);
        }
        for (String known : close) {
            shown.add(prefix + known);
        }
        return "; did you mean " + Text.orList(shown) + "?";
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}

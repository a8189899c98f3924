package gevent4j.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The list syntax shared by every list-valued kind.
 *
 * <p>gevent separates list items with commas in environment variables. Inside agent arguments a comma
 * already separates one setting from the next ({@code loop=jdk,resolver=thread}), so gevent4j also accepts
 * {@code +} as an item separator, everywhere, so that one spelling works in every source.
 */
final class ListSyntax {
    private static final Pattern SEPARATOR = Pattern.compile("[,+]");

    private ListSyntax() {
    }

    /** Splits on {@code ,} and {@code +}, trimming items; an empty value or an empty item is an error. */
    static List<String> split(String text) throws InvalidValueException {
        if (text.isBlank()) {
            throw new InvalidValueException("empty value");
        }
        List<String> items = new ArrayList<>();
        for (String part : SEPARATOR.split(text, -1)) {
            String item = part.strip();
            if (item.isEmpty()) {
                throw new InvalidValueException("empty list item (separate items with ',' or '+')");
            }
            items.add(item);
        }
        return items;
    }

    /**
     * Rejects a list whose normalized items repeat, since a repeated fallback can only be a typo.
     *
     * @param given      the items as written, used to name both spellings when an alias repeats a shorthand
     * @param normalized the items after alias resolution, same length and order as {@code given}
     * @param noun       what an item is, e.g. {@code "loop"}
     */
    static void requireDistinct(List<String> given, List<String> normalized, String noun)
            throws InvalidValueException {
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < normalized.size(); i++) {
            String first = seen.putIfAbsent(normalized.get(i), given.get(i));
            if (first != null) {
                String item = normalized.get(i);
                String spelled = first.equals(given.get(i)) ? "" : " (as " + Text.quote(first) + " and "
                        + Text.quote(given.get(i)) + ")";
                throw new InvalidValueException(noun + " " + Text.quote(item) + " is listed twice" + spelled);
            }
        }
    }
}

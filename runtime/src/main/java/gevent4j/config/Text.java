package gevent4j.config;

import java.util.List;

/** Small text helpers for one-line messages and generated docs. */
final class Text {
    /**
     * Values quoted in messages are cut to this many characters: the value came from the outside (an
     * environment variable can be megabytes) and the message must stay a readable single line.
     */
    static final int MAX_QUOTED = 120;

    private Text() {
    }

    /**
     * Quotes user-supplied text for a one-line message: wraps it in single quotes, escapes control characters
     * (a newline in an environment variable must not break the line) and shortens very long values.
     */
    static String quote(String text) {
        if (text == null) {
            return "(none)";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_QUOTED) + 8).append('\'');
        int limit = Math.min(text.length(), MAX_QUOTED);
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (Character.isISOControl(c) || Character.getType(c) == Character.LINE_SEPARATOR
                            || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (text.length() > limit) {
            out.append("...");
        }
        return out.append('\'').toString();
    }

    /** Joins words as {@code "a, b or c"}. */
    static String orList(List<String> words) {
        return switch (words.size()) {
            case 0 -> "";
            case 1 -> words.getFirst();
            default -> String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.getLast();
        };
    }
}

package gevent4j.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * gevent's importable setting: an ordered preference list whose first loadable entry wins.
 *
 * <p>Each entry is a shorthand ({@code jdk}, {@code libev}, ...), one of gevent's names for it (an alias,
 * normalized to the shorthand), or a fully-qualified class name. Class names are only checked for syntax
 * here: whether they load and implement the right interface is checked by whoever instantiates them (the
 * Hub for loops), because loading application classes while reading configuration would run their static
 * initializers before the agent is ready.
 */
public final class ImportableListKind implements Kind<List<String>> {
    /**
     * Java's reserved words, which can never be a package or class name segment. Listed here rather than
     * asking {@code javax.lang.model.SourceVersion}, because the {@code java.compiler} module is absent from
     * many jlinked runtime images.
     */
    private static final Set<String> RESERVED = Set.of(
            "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const",
            "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for",
            "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native", "new",
            "package", "private", "protected", "public", "return", "short", "static", "strictfp", "super",
            "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void", "volatile", "while",
            "_", "true", "false", "null");

    private final String noun;
    private final List<String> shorthands;
    private final Map<String, String> aliases;
    private final String classContract;

    /**
     * @param noun          what one entry is, for messages ("unknown loop 'foo'")
     * @param shorthands    the short names, in the order docs list them
     * @param aliases       alternative spellings (gevent's names) mapped to a shorthand
     * @param classContract what a class name must be, e.g. "a class name implementing gevent4j.loop.LoopProvider"
     */
    ImportableListKind(String noun, List<String> shorthands, Map<String, String> aliases, String classContract) {
        for (String target : aliases.values()) {
            if (!shorthands.contains(target)) {
                throw new IllegalArgumentException("alias target " + target + " is not a shorthand of " + noun);
            }
        }
        this.noun = noun;
        this.shorthands = List.copyOf(shorthands);
        this.aliases = new LinkedHashMap<>(aliases);
        this.classContract = classContract;
    }

    ImportableListKind(String noun, List<String> shorthands, String classContract) {
        this(noun, shorthands, Map.of(), classContract);
    }

    /** The accepted shorthand names, in doc order. */
    public List<String> shorthands() {
        return shorthands;
    }

    /** Alternative spellings accepted for shorthands (alias to shorthand), e.g. {@code libev-cffi -> libev}. */
    public Map<String, String> aliases() {
        return Map.copyOf(aliases);
    }

    @Override
    public String name() {
        return "importable list";
    }

    @Override
    public String accepted() {
        String names = String.join(", ", shorthands);
        if (!aliases.isEmpty()) {
            names += " (aliases " + String.join(", ", aliases.keySet()) + ")";
        }
        return names + " or " + classContract;
    }

    @Override
    public String kindDoc() {
        return "An ordered preference list: gevent4j uses the first entry that is available. An entry is a "
                + "shorthand listed with the setting or a fully-qualified class name (checked for syntax when "
                + "the configuration is read, and for loadability when it is used). Separate entries with `,` "
                + "in environment variables and system properties and with `+` in agent arguments (`+` works "
                + "everywhere). Empty entries, unknown shorthands, malformed class names and repeated entries "
                + "are errors.";
    }

    @Override
    public List<String> parse(String text) throws InvalidValueException {
        List<String> given = ListSyntax.split(text);
        List<String> normalized = new ArrayList<>(given.size());
        for (String item : given) {
            normalized.add(normalize(item));
        }
        ListSyntax.requireDistinct(given, normalized, noun);
        return List.copyOf(normalized);
    }

    private String normalize(String item) throws InvalidValueException {
        String lower = item.toLowerCase(Locale.ROOT);
        if (shorthands.contains(lower)) {
            return lower;
        }
        String aliased = aliases.get(lower);
        if (aliased != null) {
            return aliased;
        }
        if (item.indexOf('.') < 0) {
            // No dot: it was meant as a shorthand, so say that rather than "bad class name".
            throw new InvalidValueException("unknown " + noun + " " + Text.quote(item));
        }
        if (!isClassName(item)) {
            throw new InvalidValueException(Text.quote(item) + " is neither a known " + noun
                    + " nor a valid class name");
        }
        return item;
    }

    /** A dotted Java name: identifier segments (no reserved words), at least two of them. */
    static boolean isClassName(String name) {
        String[] segments = name.split("\\.", -1);
        if (segments.length < 2) {
            return false;
        }
        for (String segment : segments) {
            if (segment.isEmpty() || RESERVED.contains(segment)
                    || !Character.isJavaIdentifierStart(segment.codePointAt(0))) {
                return false;
            }
            int i = Character.charCount(segment.codePointAt(0));
            while (i < segment.length()) {
                int cp = segment.codePointAt(i);
                // isJavaIdentifierPart also admits ignorable control characters, which never belong in a name.
                if (!Character.isJavaIdentifierPart(cp) || Character.isIdentifierIgnorable(cp)) {
                    return false;
                }
                i += Character.charCount(cp);
            }
        }
        return true;
    }

    @Override
    public String format(List<String> value) {
        return String.join(",", value);
    }
}

package gevent4j.config;

/**
 * How a setting's text is parsed, validated and printed: the Java counterpart of gevent's setting mixins
 * ({@code BoolSettingMixin}, {@code ByteCountSettingMixin}, {@code ImportableSetting}, ...).
 *
 * <p>Implementations are immutable and thread-safe. There is one implementation class per value kind; a
 * setting holds an instance configured for it (which shorthands a preference list accepts, which range an
 * integer must fall in, ...).
 *
 * @param <T> the type of the parsed value
 */
public sealed interface Kind<T>
        permits BooleanKind, ByteSizeKind, ChoiceKind, ChoiceListKind, DurationKind, ImportableListKind,
                IntRangeKind, NameserverListKind {

    /** The kind's short name for docs and messages, e.g. {@code "boolean"} or {@code "importable list"}. */
    String name();

    /**
     * What this instance accepts, as one line for error messages and docs, e.g.
     * {@code "1, true, on, yes, 0, false, off or no (case-insensitive)"}.
     */
    String accepted();

    /**
     * A paragraph of Markdown explaining the kind in general; the same for every instance of one class.
     * {@link ConfigurationDoc} prints it once in the "Value kinds" section.
     */
    String kindDoc();

    /**
     * Parses and validates {@code text}.
     *
     * @throws InvalidValueException with a short reason (no setting name, value or source: the caller adds those)
     */
    T parse(String text) throws InvalidValueException;

    /** Prints a value so that {@link #parse} reads it back to an equal value. */
    String format(T value);
}

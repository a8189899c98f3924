package gevent4j.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** One constant of an enum, spelled in lower case (case-insensitive on input), e.g. {@code log_level}. */
public final class ChoiceKind<E extends Enum<E>> implements Kind<E> {
    private final Class<E> type;

    ChoiceKind(Class<E> type) {
        this.type = type;
    }

    @Override
    public String name() {
        return "choice";
    }

    @Override
    public String accepted() {
        return Text.orList(spellings()) + " (case-insensitive)";
    }

    @Override
    public String kindDoc() {
        return "Exactly one of the names listed with the setting; case does not matter.";
    }

    @Override
    public E parse(String text) throws InvalidValueException {
        String word = text.strip();
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(word)) {
                return constant;
            }
        }
        throw new InvalidValueException(word.isEmpty() ? "empty value" : "not one of the accepted names");
    }

    @Override
    public String format(E value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private List<String> spellings() {
        List<String> spellings = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            spellings.add(format(constant));
        }
        return spellings;
    }
}

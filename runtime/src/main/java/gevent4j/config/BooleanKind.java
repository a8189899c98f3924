package gevent4j.config;

import java.util.Locale;
import java.util.regex.Pattern;

/** gevent's {@code BoolSettingMixin}: {@code 1/true/on/yes} and {@code 0/false/off/no}, case-insensitive. */
public final class BooleanKind implements Kind<Boolean> {
    static final BooleanKind STRICT = new BooleanKind(false);

    /**
     * Also accepts a non-negative frame count, for {@code trace_malloc}: its gevent environment variable is
     * Python's {@code PYTHONTRACEMALLOC}, whose documented form is a number of frames ({@code 0} off, {@code N}
     * on), and gevent reads it with {@code IntSettingMixin}. A shell that exports {@code PYTHONTRACEMALLOC=25}
     * for a Python tool must not stop a JVM from starting.
     */
    static final BooleanKind OR_FRAME_COUNT = new BooleanKind(true);

    private static final Pattern FRAME_COUNT = Pattern.compile("[0-9]{1,9}");

    private final boolean acceptsFrameCount;

    private BooleanKind(boolean acceptsFrameCount) {
        this.acceptsFrameCount = acceptsFrameCount;
    }

    @Override
    public String name() {
        return "boolean";
    }

    @Override
    public String accepted() {
        return "1, true, on, yes, 0, false, off or no (case-insensitive)"
                + (acceptsFrameCount ? ", or a frame count (0 is false, more is true)" : "");
    }

    @Override
    public String kindDoc() {
        return "`1`, `true`, `on` and `yes` mean true; `0`, `false`, `off` and `no` mean false. "
                + "Case does not matter. Anything else is an error.";
    }

    @Override
    public Boolean parse(String text) throws InvalidValueException {
        String word = text.strip().toLowerCase(Locale.ROOT);
        switch (word) {
            case "1", "true", "on", "yes" -> {
                return Boolean.TRUE;
            }
            case "0", "false", "off", "no" -> {
                return Boolean.FALSE;
            }
            default -> {
                if (acceptsFrameCount && FRAME_COUNT.matcher(word).matches()) {
                    return Integer.parseInt(word) > 0;
                }
                throw new InvalidValueException(word.isEmpty() ? "empty value" : "not a boolean");
            }
        }
    }

    @Override
    public String format(Boolean value) {
        return value.toString();
    }
}

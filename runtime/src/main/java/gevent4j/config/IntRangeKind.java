package gevent4j.config;

import java.util.regex.Pattern;

/** A decimal integer within an inclusive range, e.g. {@code threadpool_maxsize}. */
public final class IntRangeKind implements Kind<Integer> {
    /** Ten digits cover every int; longer strings are rejected before parsing so they cannot overflow. */
    private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]{1,10}");

    private final int min;
    private final int max;

    IntRangeKind(int min, int max) {
        if (min > max) {
            throw new IllegalArgumentException(min + " > " + max);
        }
        this.min = min;
        this.max = max;
    }

    public int min() {
        return min;
    }

    public int max() {
        return max;
    }

    @Override
    public String name() {
        return "integer";
    }

    @Override
    public String accepted() {
        return "an integer from " + min + " to " + max;
    }

    @Override
    public String kindDoc() {
        return "A whole number in decimal, within the range given with the setting.";
    }

    @Override
    public Integer parse(String text) throws InvalidValueException {
        String digits = text.strip();
        if (!INTEGER.matcher(digits).matches()) {
            throw new InvalidValueException(digits.isEmpty() ? "empty value" : "not an integer");
        }
        long value = Long.parseLong(digits);
        if (value < min || value > max) {
            throw new InvalidValueException("out of range");
        }
        return (int) value;
    }

    @Override
    public String format(Integer value) {
        return value.toString();
    }
}

package gevent4j.config;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits "number plus optional unit" text, the shared grammar of byte sizes and durations.
 *
 * <p>The number is plain decimal ({@code 5}, {@code 0.1}, {@code .5}, {@code 1.}) with an optional sign.
 * No exponents, no {@code NaN} or {@code Infinity} (which Python's {@code float()} would accept), no
 * digit grouping: a configuration value has no business being clever. Parsing goes through
 * {@link BigDecimal} so that {@code 0.1} seconds is exactly 100 ms, with no binary rounding.
 */
record DecimalText(BigDecimal number, String unit) {
    /** Far more digits than any sane value; bounds the work BigDecimal does on hostile input. */
    private static final int MAX_LENGTH = 40;

    private static final Pattern NUMBER_AND_UNIT =
            Pattern.compile("([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))\\s*([a-z]*)");

    /**
     * @param what the quantity for messages, e.g. "number of seconds"
     * @return the number and the lower-cased unit ({@code ""} when absent); the unit is not validated here
     */
    static DecimalText parse(String text, String what) throws InvalidValueException {
        String trimmed = text.strip().toLowerCase(Locale.ROOT);
        if (trimmed.isEmpty()) {
            throw new InvalidValueException("empty value");
        }
        if (trimmed.length() > MAX_LENGTH) {
            throw new InvalidValueException("too long to be a " + what);
        }
        Matcher matcher = NUMBER_AND_UNIT.matcher(trimmed);
        if (!matcher.matches()) {
            boolean notFinite = trimmed.matches("[+-]?(nan|inf|infinity)");
            throw new InvalidValueException(notFinite ? "must be a finite number" : "not a " + what);
        }
        return new DecimalText(new BigDecimal(matcher.group(1)), matcher.group(2));
    }
}

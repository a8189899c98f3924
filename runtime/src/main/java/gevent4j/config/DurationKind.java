package gevent4j.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * gevent's float-seconds settings as a {@link Duration}: a number of seconds ({@code 0.1}, {@code 5}) or a
 * number with unit {@code ms}, {@code s} or {@code m}. Rounded to the nearest nanosecond.
 */
public final class DurationKind implements Kind<Duration> {
    /**
     * The value of {@code threadpool_idle_task_timeout} that means "never time out" (gevent's {@code -1}).
     * Consumers test {@link Duration#isNegative()}; this is the only negative value the setting produces.
     */
    public static final Duration NO_TIMEOUT = Duration.ofSeconds(-1);

    static final DurationKind POSITIVE = new DurationKind(false);
    static final DurationKind NON_NEGATIVE_OR_NO_TIMEOUT = new DurationKind(true);

    private final boolean allowsNoTimeout;

    private DurationKind(boolean allowsNoTimeout) {
        this.allowsNoTimeout = allowsNoTimeout;
    }

    @Override
    public String name() {
        return "duration";
    }

    @Override
    public String accepted() {
        return allowsNoTimeout
                ? "a number of seconds, 0 or more, optionally with unit ms, s or m (e.g. 5 or 500ms), or -1 for no timeout"
                : "a positive number of seconds, optionally with unit ms, s or m (e.g. 0.1 or 100ms)";
    }

    @Override
    public String kindDoc() {
        return "A number of seconds (`0.1`, `5`), or a number followed by a unit: `ms` (milliseconds), `s` "
                + "(seconds) or `m` (minutes), e.g. `250ms` or `2m`. Plain decimals only: no exponents, `NaN` "
                + "or infinity. Unless the setting says otherwise the duration must be positive.";
    }

    @Override
    public Duration parse(String text) throws InvalidValueException {
        DecimalText decimal = DecimalText.parse(text, "number of seconds");
        BigDecimal seconds = switch (decimal.unit()) {
            case "", "s" -> decimal.number();
            case "ms" -> decimal.number().movePointLeft(3);
            case "m" -> decimal.number().multiply(BigDecimal.valueOf(60));
            default -> throw new InvalidValueException("unknown unit " + Text.quote(decimal.unit()));
        };
        if (seconds.signum() < 0) {
            // BigDecimal.valueOf here, not a static constant: BigDecimal's class initialiser is
            // expensive, and start-up with defaults parses no duration at all.
            if (allowsNoTimeout && seconds.compareTo(BigDecimal.valueOf(-1)) == 0) {
                return NO_TIMEOUT;
            }
            throw new InvalidValueException(allowsNoTimeout
                    ? "negative; the only negative value allowed is -1 (no timeout)" : "must be positive");
        }
        BigDecimal rounded = seconds.setScale(9, RoundingMode.HALF_UP);
        if (!allowsNoTimeout && rounded.signum() == 0) {
            throw new InvalidValueException(seconds.signum() == 0 ? "must be positive" : "shorter than a nanosecond");
        }
        try {
            long whole = rounded.setScale(0, RoundingMode.DOWN).longValueExact();
            long nanos = rounded.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValueExact();
            return Duration.ofSeconds(whole, nanos);
        } catch (ArithmeticException tooLarge) {
            throw new InvalidValueException("too large");
        }
    }

    /** Seconds as a plain decimal with an {@code s} unit ({@code 0.1s}), or {@code -1} for no timeout. */
    @Override
    public String format(Duration value) {
        if (value.isNegative()) {
            return "-1";
        }
        BigDecimal seconds = BigDecimal.valueOf(value.getSeconds()).add(BigDecimal.valueOf(value.getNano(), 9));
        return seconds.stripTrailingZeros().toPlainString() + "s";
    }
}

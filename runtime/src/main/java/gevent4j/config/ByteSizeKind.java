package gevent4j.config;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * gevent's {@code ByteCountSettingMixin}: a positive number of bytes with an optional {@code b}, {@code kb},
 * {@code mb} or {@code gb} suffix, 1024-based as in gevent. Decimals are allowed with a multiple-byte unit
 * ({@code 1.5gb}) and rounded down to whole bytes.
 */
public final class ByteSizeKind implements Kind<Long> {
    static final ByteSizeKind POSITIVE = new ByteSizeKind();

    private static final long KB = 1024L;
    private static final long MB = 1024L * KB;
    private static final long GB = 1024L * MB;

    private ByteSizeKind() {
    }

    @Override
    public String name() {
        return "byte size";
    }

    @Override
    public String accepted() {
        return "a positive number of bytes with optional suffix b, kb, mb or gb (1024-based), e.g. 512mb or 1.5gb";
    }

    @Override
    public String kindDoc() {
        return "A number of bytes, optionally followed by `b`, `kb`, `mb` or `gb` (case-insensitive; "
                + "1 kb is 1024 bytes, as in gevent). Decimals are allowed with `kb`, `mb` and `gb` "
                + "(`1.5gb`) and rounded down to whole bytes. The result must be at least one byte.";
    }

    @Override
    public Long parse(String text) throws InvalidValueException {
        DecimalText decimal = DecimalText.parse(text, "byte size");
        long multiple = switch (decimal.unit()) {
            case "", "b" -> 1L;
            case "kb" -> KB;
            case "mb" -> MB;
            case "gb" -> GB;
            default -> throw new InvalidValueException("unknown unit " + Text.quote(decimal.unit()));
        };
        if (multiple == 1L && decimal.number().stripTrailingZeros().scale() > 0) {
            throw new InvalidValueException("a number of bytes must be whole");
        }
        BigDecimal bytes = decimal.number().multiply(BigDecimal.valueOf(multiple)).setScale(0, RoundingMode.FLOOR);
        if (bytes.signum() <= 0) {
            throw new InvalidValueException("must be positive");
        }
        try {
            return bytes.longValueExact();
        } catch (ArithmeticException tooLarge) {
            throw new InvalidValueException("too large");
        }
    }

    /** The largest unit that represents the value exactly, e.g. {@code 536870912} prints as {@code 512mb}. */
    @Override
    public String format(Long value) {
        long bytes = value;
        if (bytes % GB == 0) {
            return bytes / GB + "gb";
        }
        if (bytes % MB == 0) {
            return bytes / MB + "mb";
        }
        if (bytes % KB == 0) {
            return bytes / KB + "kb";
        }
        return bytes + "b";
    }
}

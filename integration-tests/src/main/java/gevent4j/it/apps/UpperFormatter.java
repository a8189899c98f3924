package gevent4j.it.apps;

import java.util.Locale;
import java.util.function.Function;

/** A {@code format_context} formatter: upper-cases every value, so that a test can see it was used. */
public final class UpperFormatter implements Function<Object, String> {
  @Override
  public String apply(Object value) {
    return "<" + String.valueOf(value).toUpperCase(Locale.ROOT) + ">";
  }
}

package gevent4j;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Storage with one value per greenlet (gevent's {@code gevent.local.local}). Every greenlet is a
 * thread, so this is a {@link ThreadLocal} with nothing added: it exists so that code ported from
 * gevent finds the name, and so that {@code ThreadLocal} users know they already have it.
 *
 * @param <T> the type of the value
 */
public class GreenletLocal<T> extends ThreadLocal<T> {

    /** A greenlet-local whose initial value in each greenlet comes from {@code initial}. */
    public static <T> GreenletLocal<T> withInitial(Supplier<? extends T> initial) {
        Objects.requireNonNull(initial, "initial");
        return new GreenletLocal<>() {
            @Override
            protected T initialValue() {
                return initial.get();
            }
        };
    }
}

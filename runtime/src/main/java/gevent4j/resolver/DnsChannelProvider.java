package gevent4j.resolver;

import gevent4j.loop.Loop;
import gevent4j.loop.LoopThread;
import java.util.List;

/**
 * A native DNS client the {@code resolver} setting can name ({@code ares}); loaded by class name,
 * since its implementation lives in the {@code loops} module. Probed once, like a
 * {@link gevent4j.loop.LoopProvider}: a provider that is not available says why.
 */
public interface DnsChannelProvider {

    /** The short name used in the {@code resolver} setting, e.g. {@code ares}. */
    String name();

    boolean isAvailable();

    /** Why the client cannot be used here (naming the library and how to install it), or null. */
    Throwable unavailabilityCause();

    /** One line for {@code info}: library and version, or why it is not available. */
    String describe();

    /**
     * Opens a client on {@code loop} reading the system's configuration, with {@code nameservers}
     * ({@code resolver_nameservers} entries: {@code 1.2.3.4}, {@code 1.2.3.4:5353}, {@code ::1},
     * {@code [::1]:5353}) instead of its nameservers when not null or empty.
     *
     * @throws IllegalStateException when the client cannot be initialised
     */
    @LoopThread
    DnsChannel open(Loop loop, List<String> nameservers);
}

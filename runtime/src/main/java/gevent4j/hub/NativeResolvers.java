package gevent4j.hub;

import gevent4j.resolver.DnsChannelProvider;

/**
 * The native resolver {@code ares}, whose implementation (c-ares through JNR-FFI) lives in the
 * {@code loops} module: loaded by class name, as {@link LoopSelector} loads the loops, so that
 * {@code runtime} keeps no native code. The provider probes c-ares once per JVM.
 */
public final class NativeResolvers {

    static final String ARES_PROVIDER = "gevent4j.loops.ares.AresChannelProvider";

    private NativeResolvers() {
    }

    /** The {@code ares} provider (available or not). */
    public static DnsChannelProvider ares() throws ReflectiveOperationException {
        Class<?> type = Class.forName(ARES_PROVIDER, true, NativeResolvers.class.getClassLoader());
        return (DnsChannelProvider) type.getDeclaredConstructor().newInstance();
    }

    /** One line for {@code info}: {@code ares: available (c-ares 1.18.1 ...)} or why it is not. */
    public static String describeAres() {
        try {
            return ares().describe();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return "ares: not available: cannot load " + ARES_PROVIDER + ": " + e;
        }
    }

    /** Whether {@code ares} can be used here. */
    public static boolean aresAvailable() {
        try {
            return ares().isAvailable();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return false;
        }
    }
}

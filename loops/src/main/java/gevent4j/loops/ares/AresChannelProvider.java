package gevent4j.loops.ares;

import com.kenai.jffi.MemoryIO;
import gevent4j.loop.Loop;
import gevent4j.loops.ffi.Jffi;
import gevent4j.loops.ffi.NativeLibraryUnavailableException;
import gevent4j.loops.ffi.NativeLibrarySpec;
import gevent4j.resolver.DnsChannel;
import gevent4j.resolver.DnsChannelProvider;
import java.util.List;

/**
 * The {@code ares} resolver's client: the system's c-ares ({@code libcares.so.2}, Debian/Ubuntu
 * package {@code libc-ares2}) through JNR-FFI. Probed once per JVM: the library loads with every
 * function {@link Cares} declares, it is 1.16 or later ({@code ares_getaddrinfo}), the platform is
 * LP64 (the layouts {@link AresChannel} uses), and {@code ares_library_init} succeeds.
 */
public final class AresChannelProvider implements DnsChannelProvider {

    static final NativeLibrarySpec CARES = new NativeLibrarySpec("c-ares", "libcares.so.2", "libc-ares2");
    /** 1.16.0: {@code ares_getaddrinfo} and {@code ARES_AI_NOSORT}. */
    static final int MIN_VERSION = 0x011000;

    private final Probe probe;

    public AresChannelProvider() {
        this(Holder.INSTANCE);
    }

    AresChannelProvider(Probe probe) {
        this.probe = probe;
    }

    private static final class Holder {
        static final Probe INSTANCE = Probe.load(CARES);
    }

    /** The verdict on c-ares: the bindings and version, or why it cannot be used. */
    record Probe(Cares cares, String version, Throwable cause) {

        static Probe load(NativeLibrarySpec spec) {
            if (!System.getProperty("os.name", "").startsWith("Linux")) {
                return failed(new UnsupportedOperationException("gevent4j's ares resolver supports Linux only, not "
                    + System.getProperty("os.name")));
            }
            try {
                Cares cares = Jffi.load(Cares.class, spec);
                jnr.ffi.Runtime runtime = jnr.ffi.Runtime.getRuntime(cares);
                if (runtime.addressSize() != 8 || runtime.longSize() != 8) {
                    return failed(new NativeLibraryUnavailableException(spec.soname() + " cannot be used: gevent4j's "
                        + "c-ares binding needs a 64-bit (LP64) platform"));
                }
                MemoryIO io = MemoryIO.getInstance();
                long out = io.allocateMemory(4, true);
                String version;
                int number;
                try {
                    version = cares.ares_version(out);
                    number = io.getInt(out);
                } finally {
                    io.freeMemory(out);
                }
                if (number < MIN_VERSION) {
                    return failed(new NativeLibraryUnavailableException(spec.soname() + " is c-ares " + version
                        + "; the ares resolver needs 1.16 or later; " + spec.installHint()));
                }
                int rc = cares.ares_library_init(Cares.ARES_LIB_INIT_ALL);
                if (rc != Cares.ARES_SUCCESS) {
                    return failed(new NativeLibraryUnavailableException(spec.soname() + ": ares_library_init failed: "
                        + cares.ares_strerror(rc)));
                }
                return new Probe(cares, version, null);
            } catch (NativeLibraryUnavailableException e) {
                return failed(e);
            } catch (LinkageError | RuntimeException e) {
                String message = String.valueOf(e);
                int newline = message.indexOf('\n');
                return failed(new NativeLibraryUnavailableException(spec.soname() + " could not be probed ("
                    + (newline < 0 ? message : message.substring(0, newline)) + "); " + spec.installHint(), e));
            }
        }

        private static Probe failed(Throwable cause) {
            return new Probe(null, null, cause);
        }
    }

    @Override
    public String name() {
        return "ares";
    }

    @Override
    public boolean isAvailable() {
        return probe.cause() == null;
    }

    @Override
    public Throwable unavailabilityCause() {
        return probe.cause();
    }

    @Override
    public String describe() {
        if (probe.cause() != null) {
            return "ares: not available: " + probe.cause().getMessage();
        }
        return "ares: available (c-ares " + probe.version() + ", " + CARES.soname()
            + "; its sockets and timeouts wait on the Hub's loop)";
    }

    @Override
    public DnsChannel open(Loop loop, List<String> nameservers) {
        if (probe.cause() != null) {
            throw new IllegalStateException("ares is not available: " + probe.cause().getMessage(), probe.cause());
        }
        return new AresChannel(probe.cares(), loop, nameservers);
    }
}

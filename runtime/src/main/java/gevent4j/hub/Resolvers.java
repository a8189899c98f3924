package gevent4j.hub;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolver.LookupPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The {@code resolver} setting. {@code thread} runs the JDK's own (native, blocking) lookup on the
 * threadpool while the greenlet parks; {@code block} runs it on the Hub. Answers, exceptions and
 * the JVM's address cache stay the JDK's: only where the lookup blocks changes.
 */
final class Resolvers {

    /** Resolver names with the reason they cannot be used in this build. */
    private static final java.util.Map<String, String> NOT_YET_BUILT = java.util.Map.of(
        "dnsjava", "not built into this version of gevent4j (arrives with the resolvers release)",
        "ares", "not built into this version of gevent4j (arrives with the resolvers release)");

    private final Hub hub;
    private final java.util.concurrent.Executor pool;
    private final String chosen;
    private final List<String> skipped;

    Resolvers(Hub hub, java.util.concurrent.Executor pool, List<String> preference) {
        this.hub = hub;
        this.pool = pool;
        String pick = "block";
        List<String> notes = new ArrayList<>();
        for (String name : preference) {
            if (NOT_YET_BUILT.containsKey(name)) {
                notes.add(name + ": " + NOT_YET_BUILT.get(name));
                continue;
            }
            pick = name;
            break;
        }
        this.chosen = pick;
        this.skipped = List.copyOf(notes);
    }

    String chosen() {
        return chosen;
    }

    List<String> skipped() {
        return skipped;
    }

    private boolean offload() {
        return "thread".equals(chosen) && Thread.currentThread().isVirtual() && hub.inHubThread();
    }

    Stream<InetAddress> lookupByName(InetAddressResolver builtin, String host, LookupPolicy policy)
            throws UnknownHostException {
        if (!offload()) {
            return builtin.lookupByName(host, policy);
        }
        List<InetAddress> addresses = call(() -> builtin.lookupByName(host, policy).toList());
        return addresses.stream();
    }

    String lookupByAddress(InetAddressResolver builtin, byte[] address) throws UnknownHostException {
        if (!offload()) {
            return builtin.lookupByAddress(address);
        }
        return call(() -> builtin.lookupByAddress(address));
    }

    private <T> T call(java.util.concurrent.Callable<T> lookup) throws UnknownHostException {
        try {
            return Offload.call(hub, pool, lookup);
        } catch (UnknownHostException | RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            UnknownHostException u = new UnknownHostException(e.getMessage());
            u.initCause(e);
            throw u;
        }
    }
}

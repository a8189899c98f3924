package gevent4j.hub;

import gevent4j.internal.JdkInternals;
import gevent4j.resolver.AresResolver;
import gevent4j.resolver.DnsChannelProvider;
import gevent4j.resolver.DnsjavaResolver;
import gevent4j.resolver.HubResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolver.LookupPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.stream.Stream;

/**
 * The {@code resolver} setting. {@code thread} runs the JDK's own (native, blocking) lookup on the
 * threadpool while the greenlet parks; {@code block} runs it on the Hub. For both, answers,
 * exceptions and the JVM's address cache stay the JDK's: only where the lookup blocks changes.
 * {@code dnsjava} answers every lookup itself with {@link DnsjavaResolver}, whose sockets wait on
 * the Hub's loop in a greenlet; {@code ares} answers with {@link AresResolver} over c-ares (loaded
 * by name from the {@code loops} module, {@link NativeResolvers}), driven by the Hub's loop. The
 * JVM's address cache still sits above both.
 */
final class Resolvers {

    private final Hub hub;
    private final Executor pool;
    private final String chosen;
    /** The resolver answering every lookup itself ({@code dnsjava}, {@code ares}), or null. */
    private final HubResolver own;
    private final List<String> skipped;

    Resolvers(Hub hub, Executor pool, List<String> preference, List<String> nameservers, Duration timeout) {
        this.hub = hub;
        this.pool = pool;
        String pick = null;
        HubResolver made = null;
        List<String> notes = new ArrayList<>();
        for (String name : preference) {
            if ("ares".equals(name)) {
                try {
                    DnsChannelProvider provider = NativeResolvers.ares();
                    if (!provider.isAvailable()) {
                        notes.add(name + ": " + provider.unavailabilityCause().getMessage());
                        continue;
                    }
                    AresResolver ares = AresResolver.create(provider, hub.loop(), hub::inHubThread, nameservers, timeout);
                    closeAtExit(ares);
                    made = ares;
                } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                    notes.add(name + ": cannot be used (" + e + ")");
                    continue;
                }
            }
            if ("dnsjava".equals(name)) {
                try {
                    made = DnsjavaResolver.create(nameservers, timeout, pool,
                        task -> JdkInternals.newVirtualThread(hub, "gevent4j-dns-reader", task));
                } catch (java.io.IOException | RuntimeException e) {
                    notes.add(name + ": cannot read the resolver configuration: " + e);
                    continue;
                }
            }
            pick = name;
            break;
        }
        this.chosen = pick;
        this.own = made;
        this.skipped = List.copyOf(notes);
    }

    /**
     * How long the JVM's exit waits for the Hub to close the c-ares channel: a turn of a Hub that
     * runs takes far less; one that does not turn any more must not hold up the exit.
     */
    private static final Duration ARES_CLOSE_WAIT = Duration.ofMillis(500);

    /**
     * Destroys the c-ares channel at exit ({@code ares_destroy}: its sockets closed, its memory
     * freed, the loop's watchers stopped), after the application's shutdown hooks, which may
     * still resolve names through it.
     */
    private static void closeAtExit(AresResolver ares) {
        boolean registered = JdkInternals.addShutdownHookAfterApplicationHooks(() -> {
            if (ares.closeAtExit(ARES_CLOSE_WAIT)) {
                Log.debug("ares: c-ares channel destroyed at exit");
            } else {
                Log.debug("ares: the Hub did not destroy the c-ares channel within " + ARES_CLOSE_WAIT.toMillis()
                    + " ms at exit; the process's end frees it");
            }
        });
        if (!registered) {
            Log.debug("ares: no exit hook after the application's could be registered; the process's end frees "
                + "the c-ares channel");
        }
    }

    /** The resolver in use; null when no entry of the preference list can be used. */
    String chosen() {
        return chosen;
    }

    List<String> skipped() {
        return skipped;
    }

    private boolean offload() {
        return "thread".equals(chosen) && Thread.currentThread().isVirtual() && hub.inHubThread();
    }

    /**
     * Whether this caller may wait for a lookup another thread is doing: not the Hub's own thread
     * (outside any greenlet), since that lookup's greenlet could only run once the Hub returns.
     */
    private boolean mayWait() {
        return Thread.currentThread().isVirtual() || !hub.inHubThread();
    }

    Stream<InetAddress> lookupByName(InetAddressResolver builtin, String host, LookupPolicy policy)
            throws UnknownHostException {
        if (own != null) {
            return own.lookupByName(host, policy.characteristics(), mayWait()).stream();
        }
        if (!offload()) {
            return builtin.lookupByName(host, policy);
        }
        List<InetAddress> addresses = call(() -> builtin.lookupByName(host, policy).toList());
        return addresses.stream();
    }

    String lookupByAddress(InetAddressResolver builtin, byte[] address) throws UnknownHostException {
        if (own != null) {
            return own.lookupByAddress(address, mayWait());
        }
        if (!offload()) {
            return builtin.lookupByAddress(address);
        }
        return call(() -> builtin.lookupByAddress(address));
    }

    private <T> T call(Callable<T> lookup) throws UnknownHostException {
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

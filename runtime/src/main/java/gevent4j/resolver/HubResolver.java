package gevent4j.resolver;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the resolvers that answer lookups themselves ({@code dnsjava}, {@code ares}) share, so that
 * both give the JDK's semantics the same way: IP literals answered without a query,
 * {@code /etc/hosts} first, {@code localhost} (RFC 6761), addresses stamped with the name as asked,
 * concurrent identical lookups coalesced into one, and the JDK's exception messages. Subclasses
 * only ask the servers: {@link #queryByName} and {@link #queryByAddress}.
 *
 * <p>The JDK's {@code InetAddress} cache sits above this class and applies
 * {@code networkaddress.cache.ttl} and {@code networkaddress.cache.negative.ttl}.
 */
public abstract class HubResolver {

    private final HostsFile hosts;
    /** {@code resolver_timeout}: the total time of one lookup; null for none. */
    protected final Duration totalTimeout;
    private final ConcurrentHashMap<String, CompletableFuture<Object>> inFlight = new ConcurrentHashMap<>();

    HubResolver(HostsFile hosts, Duration totalTimeout) {
        this.hosts = hosts;
        this.totalTimeout = totalTimeout;
    }

    /**
     * {@code InetAddressResolver.lookupByName}: every address of {@code host}, ordered by
     * {@code characteristics}. {@code mayWait} is false on a thread that must never wait for
     * another lookup (the Hub's own thread, which the greenlet doing it could never run on); such
     * a caller does its own query.
     */
    public final List<InetAddress> lookupByName(String host, int characteristics, boolean mayWait)
            throws UnknownHostException {
        InetAddress literal = literal(host);
        if (literal != null) {
            return List.of(literal);
        }
        String key = "name " + characteristics + " " + host;
        @SuppressWarnings("unchecked")
        List<InetAddress> result = (List<InetAddress>) coalesced(key, mayWait, () -> byName(host, characteristics));
        return result;
    }

    /** {@code InetAddressResolver.lookupByAddress}: the name of {@code address} (4 or 16 bytes). */
    public final String lookupByAddress(byte[] address, boolean mayWait) throws UnknownHostException {
        InetAddress ip = InetAddress.getByAddress(address);
        return (String) coalesced("addr " + HexFormat.of().formatHex(address), mayWait, () -> byAddress(ip));
    }

    /** One lookup, run by {@link #run}. */
    protected interface Lookup {
        Object run() throws UnknownHostException;
    }

    /**
     * Runs one whole (not coalesced) lookup; a subclass may wrap it, say with its deadline.
     * {@code mayWait} as for {@link #lookupByName}.
     */
    protected Object run(Lookup lookup, boolean mayWait) throws UnknownHostException {
        return lookup.run();
    }

    /**
     * Asks the servers for the addresses of {@code host} (not a literal, not in the hosts file),
     * the families and their order given by {@code characteristics} ({@link AddressOrder}).
     *
     * @return at least one address
     * @throws UnknownHostException as the JDK would throw it, see {@link #unknown}
     */
    protected abstract List<InetAddress> queryByName(String host, int characteristics) throws UnknownHostException;

    /** Asks the servers for the name of {@code ip} (not in the hosts file). */
    protected abstract String queryByAddress(InetAddress ip) throws UnknownHostException;

    /** Runs {@code lookup}, or waits for the identical one already running on another thread. */
    private Object coalesced(String key, boolean mayWait, Lookup lookup) throws UnknownHostException {
        if (!mayWait) {
            return run(lookup, false);
        }
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            try {
                return running.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof UnknownHostException u) {
                    UnknownHostException copy = new UnknownHostException(u.getMessage());
                    copy.initCause(u.getCause());
                    throw copy;
                }
                throw e;
            }
        }
        try {
            Object result = run(lookup, true);
            mine.complete(result);
            return result;
        } catch (UnknownHostException | RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private List<InetAddress> byName(String host, int characteristics) throws UnknownHostException {
        String bare = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        List<InetAddress> fromHosts = AddressOrder.filter(hosts.addresses(bare), characteristics);
        if (fromHosts.isEmpty() && isLocalhost(bare)) {
            fromHosts = AddressOrder.filter(
                List.of(InetAddress.ofLiteral("127.0.0.1"), InetAddress.ofLiteral("::1")),
                characteristics);
        }
        if (!fromHosts.isEmpty()) {
            return stamp(host, AddressOrder.order(fromHosts, characteristics));
        }
        return stamp(host, AddressOrder.order(queryByName(host, characteristics), characteristics));
    }

    private String byAddress(InetAddress ip) throws UnknownHostException {
        String fromHosts = hosts.name(ip);
        if (fromHosts != null) {
            return fromHosts;
        }
        return queryByAddress(ip);
    }

    /** The message of a lookup that ran out of {@code resolver_timeout}. */
    protected final UnknownHostException timedOut(String host) {
        return unknown(host, "DNS lookup timed out after " + seconds(totalTimeout) + " (resolver_timeout)", null);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() / 1000.0 + "s";
    }

    /**
     * {@code <host>: <why>}, as the JDK's builtin resolver words it; {@code why} is a glibc
     * {@code gai_strerror} text such as {@code Name or service not known}.
     */
    protected static UnknownHostException unknown(String host, String why, Throwable cause) {
        UnknownHostException e = new UnknownHostException(host + ": " + why);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    /** The JDK's builtin resolver answers with addresses that carry the name as asked. */
    private static List<InetAddress> stamp(String host, List<InetAddress> addresses) throws UnknownHostException {
        List<InetAddress> stamped = new ArrayList<>(addresses.size());
        for (InetAddress a : addresses) {
            stamped.add(InetAddress.getByAddress(host, a.getAddress()));
        }
        return List.copyOf(stamped);
    }

    private static boolean isLocalhost(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.endsWith(".localhost");
    }

    /**
     * The address {@code host} spells, or null when it is a name. Only a string of decimal digits
     * and dots (the JDK's IPv4 literal forms, {@code d.d.d.d} down to {@code d}, are decimal) or one
     * with a colon (IPv6, maybe in brackets) is parsed: a parse that fails throws, and a burst of
     * names starting with a hex letter ({@code api.}, {@code db.}, {@code cdn.}) paid for that
     * exception once per lookup.
     */
    static InetAddress literal(String host) {
        if (!mayBeLiteral(host)) {
            return null;
        }
        try {
            return InetAddress.ofLiteral(host.startsWith("[") && host.endsWith("]")
                ? host.substring(1, host.length() - 1) : host);
        } catch (IllegalArgumentException notALiteral) {
            return null;
        }
    }

    private static boolean mayBeLiteral(String host) {
        if (host.isEmpty()) {
            return false;
        }
        if (host.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if ((c < '0' || c > '9') && c != '.') {
                return false;
            }
        }
        return true;
    }
}

package gevent4j.resolver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.LookupResult;
import org.xbill.DNS.lookup.LookupSession;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;

/**
 * The {@code dnsjava} resolver: the JDK's lookups answered by dnsjava's {@link LookupSession}
 * (search list, {@code ndots}, CNAME chains) over {@link ExtendedResolver} and
 * {@link SimpleResolver} (retries across nameservers, message building and parsing, truncation to
 * TCP), with {@code /etc/hosts} first, the nameservers and options of {@code resolv.conf}
 * ({@code resolver_nameservers} replacing the nameservers) and the I/O of
 * {@link CallerIoClientFactory}: every future dnsjava returns is already complete, because the
 * whole lookup runs on the caller's thread with the direct executor.
 *
 * <p>The JDK's {@code InetAddress} cache sits above this class and applies
 * {@code networkaddress.cache.ttl} and {@code networkaddress.cache.negative.ttl}, so dnsjava's own
 * cache is not installed: like the system resolver, every call here asks the servers. Concurrent
 * identical lookups share one query through {@link #inFlight}.
 */
public final class DnsjavaResolver {
    private static final Executor DIRECT = Runnable::run;

    private final LookupSession session;
    private final HostsFile hosts;
    private final Duration totalTimeout;
    private final ConcurrentHashMap<String, CompletableFuture<Object>> inFlight = new ConcurrentHashMap<>();

    DnsjavaResolver(ResolvConf conf, HostsFile hosts, Duration totalTimeout) {
        List<Resolver> servers = new ArrayList<>();
        CallerIoClientFactory io = new CallerIoClientFactory();
        for (InetSocketAddress server : conf.servers()) {
            SimpleResolver simple = new SimpleResolver(server);
            simple.setIoClientFactory(io);
            simple.setTimeout(conf.timeout());
            servers.add(simple);
        }
        ExtendedResolver resolver = new ExtendedResolver(servers);
        resolver.setRetries(conf.attempts());
        // ExtendedResolver gives up after this much time only between attempts; the real bound is
        // the per-query timeout times attempts, or resolver_timeout (CallerIoClientFactory.DEADLINE).
        resolver.setTimeout(conf.timeout().multipliedBy((long) conf.attempts() * conf.servers().size() + 1));
        List<Name> search = new ArrayList<>();
        for (String domain : conf.search()) {
            try {
                search.add(Name.fromString(domain, Name.root));
            } catch (TextParseException ignored) {
                // glibc also drops a search domain it cannot use.
            }
        }
        this.session = LookupSession.builder()
            .resolver(resolver)
            .ndots(conf.ndots())
            .searchPath(search)
            .executor(DIRECT)
            .build();
        this.hosts = hosts;
        this.totalTimeout = totalTimeout;
    }

    /**
     * The resolver of this process: {@code /etc/resolv.conf} (with {@code nameservers} instead of
     * its own when not null), {@code /etc/hosts} and {@code totalTimeout} (null: none).
     */
    public static DnsjavaResolver create(List<String> nameservers, Duration totalTimeout) throws IOException {
        ResolvConf conf = ResolvConf.read(Path.of("/etc/resolv.conf"));
        if (nameservers != null && !nameservers.isEmpty()) {
            conf = conf.withNameservers(nameservers);
        }
        // No jdk.net.hosts.file here: when it is set the JDK answers from that file and never asks
        // a resolver provider.
        return new DnsjavaResolver(conf, new HostsFile(Path.of("/etc/hosts")), totalTimeout);
    }

    /**
     * {@code InetAddressResolver.lookupByName}: every address of {@code host}, ordered by
     * {@code characteristics}. {@code mayWait} is false on a thread that must never wait for
     * another lookup (the Hub's own thread, which the greenlet doing it could never run on); such
     * a caller does its own query.
     */
    public List<InetAddress> lookupByName(String host, int characteristics, boolean mayWait)
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
    public String lookupByAddress(byte[] address, boolean mayWait) throws UnknownHostException {
        InetAddress ip = InetAddress.getByAddress(address);
        return (String) coalesced("addr " + HexFormat.of().formatHex(address), mayWait, () -> byAddress(ip));
    }

    private interface Lookup {
        Object run() throws UnknownHostException;
    }

    /** Runs {@code lookup}, or waits for the identical one already running on another thread. */
    private Object coalesced(String key, boolean mayWait, Lookup lookup) throws UnknownHostException {
        if (!mayWait) {
            return withDeadline(lookup);
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
            Object result = withDeadline(lookup);
            mine.complete(result);
            return result;
        } catch (UnknownHostException | RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private Object withDeadline(Lookup lookup) throws UnknownHostException {
        if (totalTimeout == null) {
            return lookup.run();
        }
        long[] previous = CallerIoClientFactory.DEADLINE.get();
        CallerIoClientFactory.DEADLINE.set(new long[] {System.nanoTime() + totalTimeout.toNanos()});
        try {
            return lookup.run();
        } finally {
            CallerIoClientFactory.DEADLINE.set(previous);
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
        Name name;
        try {
            name = Name.fromString(host);
        } catch (TextParseException e) {
            throw unknown(host, "Name or service not known", e);
        }
        List<InetAddress> found = new ArrayList<>();
        Outcome outcome = new Outcome();
        for (int type : AddressOrder.queryTypes(characteristics)) {
            if (outcome.noSuchDomain) {
                break;
            }
            query(name, type, found, outcome);
        }
        if (!found.isEmpty()) {
            return stamp(host, AddressOrder.order(found, characteristics));
        }
        throw outcome.failure(host, totalTimeout);
    }

    private String byAddress(InetAddress ip) throws UnknownHostException {
        String fromHosts = hosts.name(ip);
        if (fromHosts != null) {
            return fromHosts;
        }
        List<String> names = new ArrayList<>();
        Outcome outcome = new Outcome();
        try {
            LookupResult result = session.lookupAsync(ReverseMap.fromAddress(ip), Type.PTR).toCompletableFuture().join();
            for (Record r : result.getRecords()) {
                if (r instanceof PTRRecord ptr) {
                    names.add(ptr.getTarget().toString(true));
                }
            }
        } catch (CompletionException e) {
            outcome.record(e.getCause());
        }
        if (names.isEmpty()) {
            throw outcome.failure(ip.getHostAddress(), totalTimeout);
        }
        return names.get(0);
    }

    private void query(Name name, int type, List<InetAddress> found, Outcome outcome) {
        try {
            LookupResult result = session.lookupAsync(name, type).toCompletableFuture().join();
            for (Record r : result.getRecords()) {
                if (r instanceof ARecord a) {
                    found.add(a.getAddress());
                } else if (r instanceof AAAARecord aaaa) {
                    found.add(aaaa.getAddress());
                }
            }
            if (result.getRecords().isEmpty()) {
                outcome.noData = true;
            }
        } catch (CompletionException e) {
            outcome.record(e.getCause());
        }
    }

    /** What went wrong in the queries of one lookup, turned into the exception the JDK would throw. */
    private static final class Outcome {
        boolean noSuchDomain;
        boolean noData;
        boolean timedOut;
        Throwable other;

        void record(Throwable t) {
            if (t instanceof NoSuchDomainException) {
                noSuchDomain = true;
            } else if (t instanceof NoSuchRRSetException) {
                noData = true;
            } else if (hasCause(t, CallerIoClientFactory.DeadlineExceeded.class)) {
                timedOut = true;
            } else if (other == null) {
                other = t;
            }
        }

        UnknownHostException failure(String host, Duration totalTimeout) {
            // The messages are glibc's gai_strerror texts, which the JDK's builtin resolver shows.
            if (timedOut) {
                return unknown(host, "DNS lookup timed out after " + seconds(totalTimeout) + " (resolver_timeout)", null);
            }
            if (other != null) {
                return unknown(host, "Temporary failure in name resolution (" + other.getMessage() + ")", other);
            }
            if (noData && !noSuchDomain) {
                return unknown(host, "No address associated with hostname", null);
            }
            return unknown(host, "Name or service not known", null);
        }
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() / 1000.0 + "s";
    }

    private static UnknownHostException unknown(String host, String why, Throwable cause) {
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

    private static InetAddress literal(String host) {
        if (host.isEmpty() || !(Character.digit(host.charAt(0), 16) >= 0 || host.indexOf(':') >= 0)) {
            return null;
        }
        try {
            return InetAddress.ofLiteral(host.startsWith("[") && host.endsWith("]")
                ? host.substring(1, host.length() - 1) : host);
        } catch (IllegalArgumentException notALiteral) {
            return null;
        }
    }
}

package gevent4j.resolver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
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
import org.xbill.DNS.io.IoClientFactory;
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
 * {@link CallerIoClientFactory}: the whole lookup runs on the caller's thread with the direct
 * executor; its queries (A and AAAA together, as glibc sends them) are answered through the
 * lookup's {@link QueryExchange}, which that thread drives until dnsjava's futures are complete.
 *
 * <p>The JDK's {@code InetAddress} cache sits above this class and applies
 * {@code networkaddress.cache.ttl} and {@code networkaddress.cache.negative.ttl}, so dnsjava's own
 * cache is not installed: like the system resolver, every call here asks the servers.
 * {@link HubResolver} answers literals, {@code /etc/hosts} and {@code localhost}, and coalesces.
 */
public final class DnsjavaResolver extends HubResolver {
    private static final Executor DIRECT = Runnable::run;

    private final LookupSession session;
    private final SharedUdpSockets sockets;

    DnsjavaResolver(ResolvConf conf, HostsFile hosts, Duration totalTimeout, ThreadFactory readers) {
        super(hosts, totalTimeout);
        this.session = session(conf, new CallerIoClientFactory());
        this.sockets = new SharedUdpSockets(readers);
    }

    /**
     * dnsjava's lookup logic for {@code conf}: {@link LookupSession} over {@link ExtendedResolver}
     * over one {@link SimpleResolver} per nameserver, doing its I/O through {@code io}.
     */
    static LookupSession session(ResolvConf conf, IoClientFactory io) {
        List<Resolver> servers = new ArrayList<>();
        for (InetSocketAddress server : conf.servers()) {
            SimpleResolver simple = new SimpleResolver(server);
            simple.setIoClientFactory(io);
            simple.setTimeout(conf.timeout());
            servers.add(simple);
        }
        ExtendedResolver resolver = new ExtendedResolver(servers);
        resolver.setRetries(conf.attempts());
        // ExtendedResolver gives up after this much time only between attempts; the real bound is
        // the per-query timeout times attempts, or resolver_timeout (QueryExchange's deadline).
        resolver.setTimeout(conf.timeout().multipliedBy((long) conf.attempts() * conf.servers().size() + 1));
        List<Name> search = new ArrayList<>();
        for (String domain : conf.search()) {
            try {
                search.add(Name.fromString(domain, Name.root));
            } catch (TextParseException ignored) {
                // glibc also drops a search domain it cannot use.
            }
        }
        return LookupSession.builder()
            .resolver(resolver)
            .ndots(conf.ndots())
            .searchPath(search)
            .executor(DIRECT)
            .build();
    }

    /**
     * The resolver of this process: {@code /etc/resolv.conf} (with {@code nameservers} instead of
     * its own when not null), {@code /etc/hosts} and {@code totalTimeout} (null: none), with
     * {@code readers} making the readers of the shared sockets (greenlets, in the agent). What every
     * lookup needs is loaded by one lookup answered in memory on {@code background} (the threadpool,
     * {@link DnsjavaWarmUp}): left to the first lookups, it would run on the Hub thread while every
     * greenlet waits; done here, it would delay the application's start.
     */
    public static DnsjavaResolver create(List<String> nameservers, Duration totalTimeout, Executor background,
            ThreadFactory readers) throws IOException {
        ResolvConf conf = ResolvConf.read(Path.of("/etc/resolv.conf"));
        if (nameservers != null && !nameservers.isEmpty()) {
            conf = conf.withNameservers(nameservers);
        }
        // No jdk.net.hosts.file here: when it is set the JDK answers from that file and never asks
        // a resolver provider.
        DnsjavaResolver resolver = new DnsjavaResolver(conf, new HostsFile(Path.of("/etc/hosts")), totalTimeout,
            readers);
        try {
            ResolvConf used = conf;
            background.execute(() -> DnsjavaWarmUp.run(used));
        } catch (RuntimeException refused) {
            // Only the first lookups are slower.
        }
        return resolver;
    }

    /**
     * Runs one lookup in a {@link QueryExchange} of its own, with {@code resolver_timeout} as its
     * deadline: over the shared sockets, or over sockets of its own where the thread must not wait
     * for their reader (the Hub's thread: {@code mayWait} false). When it ends any answer still to
     * come is dropped.
     */
    @Override
    protected Object run(Lookup lookup, boolean mayWait) throws UnknownHostException {
        QueryExchange previous = CallerIoClientFactory.CURRENT.get();
        long timeout = totalTimeout == null ? -1 : totalTimeout.toNanos();
        try (QueryExchange exchange = mayWait ? new SharedSocketsExchange(sockets, timeout)
                : new OwnSocketsExchange(timeout)) {
            CallerIoClientFactory.CURRENT.set(exchange);
            return lookup.run();
        } finally {
            CallerIoClientFactory.CURRENT.set(previous);
        }
    }

    @Override
    protected List<InetAddress> queryByName(String host, int characteristics) throws UnknownHostException {
        Name name;
        try {
            name = Name.fromString(host);
        } catch (TextParseException e) {
            throw unknown(host, "Name or service not known", e);
        }
        // Every family's query is sent before any answer is awaited, so the lookup takes one
        // round trip, not one per family; the answers are then taken in the preferred order.
        // NXDOMAIN for one family (after the whole search list) holds for every family: the
        // lookup ends there, without waiting for the others (a server that drops AAAA queries
        // would otherwise hold a name that does not exist for the whole timeout).
        List<Integer> types = AddressOrder.queryTypes(characteristics);
        CompletableFuture<?>[] lookups = new CompletableFuture<?>[types.size()];
        for (int i = 0; i < lookups.length; i++) {
            lookups[i] = session.lookupAsync(name, types.get(i)).toCompletableFuture();
        }
        CallerIoClientFactory.CURRENT.get().await(() -> QueryExchange.allDone(lookups) || noSuchDomain(lookups));
        List<InetAddress> found = new ArrayList<>();
        Outcome outcome = new Outcome();
        for (CompletableFuture<?> lookup : lookups) {
            if (lookup.isDone()) {
                collect(lookup, found, outcome);
            }
        }
        if (!found.isEmpty()) {
            return found;
        }
        throw outcome.failure(host, this);
    }

    @Override
    protected String queryByAddress(InetAddress ip) throws UnknownHostException {
        CompletableFuture<LookupResult> lookup =
            session.lookupAsync(ReverseMap.fromAddress(ip), Type.PTR).toCompletableFuture();
        CallerIoClientFactory.CURRENT.get().await(lookup);
        Outcome outcome = new Outcome();
        try {
            for (Record r : lookup.join().getRecords()) {
                if (r instanceof PTRRecord ptr) {
                    return ptr.getTarget().toString(true);
                }
            }
        } catch (CompletionException e) {
            outcome.record(e.getCause());
        }
        throw outcome.failure(ip.getHostAddress(), this);
    }

    /** Whether one of {@code lookups} ended with NXDOMAIN. */
    private static boolean noSuchDomain(CompletableFuture<?>[] lookups) {
        for (CompletableFuture<?> lookup : lookups) {
            if (lookup.isCompletedExceptionally() && lookup.exceptionNow() instanceof NoSuchDomainException) {
                return true;
            }
        }
        return false;
    }

    /** The addresses of one completed query into {@code found}, or what went wrong into {@code outcome}. */
    private static void collect(CompletableFuture<?> lookup, List<InetAddress> found, Outcome outcome) {
        try {
            LookupResult result = (LookupResult) lookup.join();
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
            } else if (hasCause(t, QueryExchange.DeadlineExceeded.class)) {
                timedOut = true;
            } else if (other == null) {
                other = t;
            }
        }

        UnknownHostException failure(String host, DnsjavaResolver resolver) {
            // The messages are glibc's gai_strerror texts, which the JDK's builtin resolver shows.
            // NXDOMAIN is the server's word that the name has no record of any type: it stands,
            // whatever happened to the other family's query.
            if (noSuchDomain) {
                return unknown(host, "Name or service not known", null);
            }
            if (timedOut) {
                return resolver.timedOut(host);
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
}

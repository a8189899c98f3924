package gevent4j.resolver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
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
 * cache is not installed: like the system resolver, every call here asks the servers.
 * {@link HubResolver} answers literals, {@code /etc/hosts} and {@code localhost}, and coalesces.
 */
public final class DnsjavaResolver extends HubResolver {
    private static final Executor DIRECT = Runnable::run;

    private final LookupSession session;

    DnsjavaResolver(ResolvConf conf, HostsFile hosts, Duration totalTimeout) {
        super(hosts, totalTimeout);
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

    /** Runs one lookup with {@code resolver_timeout} as the deadline of its queries. */
    @Override
    protected Object run(Lookup lookup) throws UnknownHostException {
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

    @Override
    protected List<InetAddress> queryByName(String host, int characteristics) throws UnknownHostException {
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
            return found;
        }
        throw outcome.failure(host, this);
    }

    @Override
    protected String queryByAddress(InetAddress ip) throws UnknownHostException {
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
            throw outcome.failure(ip.getHostAddress(), this);
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

        UnknownHostException failure(String host, DnsjavaResolver resolver) {
            // The messages are glibc's gai_strerror texts, which the JDK's builtin resolver shows.
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

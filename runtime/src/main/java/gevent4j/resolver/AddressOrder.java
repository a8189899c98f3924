package gevent4j.resolver;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.spi.InetAddressResolver.LookupPolicy;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Type;

/**
 * Which address families a {@link LookupPolicy} asks for and in what order, as the JDK's builtin
 * resolver applies them: {@code IPV4}/{@code IPV6} select the families ({@code java.net.preferIPv4Stack}
 * leaves only IPv4), {@code IPV4_FIRST} (the default, {@code java.net.preferIPv6Addresses=false})
 * puts every IPv4 address before every IPv6 one, {@code IPV6_FIRST} ({@code true}) the reverse.
 * Within a family the server's order is kept. With neither flag ({@code =system}) glibc sorts by
 * RFC 6724 against the host's routes; here IPv4 comes first (see docs/resolvers.md).
 */
final class AddressOrder {
    private AddressOrder() {
    }

    /** The query types to send, the family listed first first (so an NXDOMAIN can spare the second). */
    static List<Integer> queryTypes(int characteristics) {
        boolean v4 = (characteristics & LookupPolicy.IPV4) != 0;
        boolean v6 = (characteristics & LookupPolicy.IPV6) != 0;
        if (v4 && v6) {
            return v6First(characteristics) ? List.of(Type.AAAA, Type.A) : List.of(Type.A, Type.AAAA);
        }
        return v6 ? List.of(Type.AAAA) : List.of(Type.A);
    }

    /** The addresses of the families {@code characteristics} asks for, in their order. */
    static List<InetAddress> filter(List<InetAddress> addresses, int characteristics) {
        boolean v4 = (characteristics & LookupPolicy.IPV4) != 0;
        boolean v6 = (characteristics & LookupPolicy.IPV6) != 0;
        List<InetAddress> kept = new ArrayList<>(addresses.size());
        for (InetAddress a : addresses) {
            if (a instanceof Inet4Address ? v4 : v6) {
                kept.add(a);
            }
        }
        return kept;
    }

    /** {@code addresses} (already filtered) with one family first; each family keeps its order. */
    static List<InetAddress> order(List<InetAddress> addresses, int characteristics) {
        Class<?> first = v6First(characteristics) ? Inet6Address.class : Inet4Address.class;
        List<InetAddress> ordered = new ArrayList<>(addresses.size());
        for (InetAddress a : addresses) {
            if (first.isInstance(a)) {
                ordered.add(a);
            }
        }
        for (InetAddress a : addresses) {
            if (!first.isInstance(a)) {
                ordered.add(a);
            }
        }
        return ordered;
    }

    private static boolean v6First(int characteristics) {
        return (characteristics & LookupPolicy.IPV6_FIRST) != 0;
    }
}

package gevent4j.resolver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.spi.InetAddressResolver.LookupPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Type;

class AddressOrderTest {
    private static final InetAddress V4A = InetAddress.ofLiteral("10.0.0.1");
    private static final InetAddress V4B = InetAddress.ofLiteral("10.0.0.2");
    private static final InetAddress V6A = InetAddress.ofLiteral("2001:db8::1");
    private static final InetAddress V6B = InetAddress.ofLiteral("2001:db8::2");
    private static final List<InetAddress> MIXED = List.of(V6A, V4A, V6B, V4B);
    private static final int BOTH = LookupPolicy.IPV4 | LookupPolicy.IPV6;

    @Test
    void ipv4FirstIsTheJdkDefault() {
        int c = BOTH | LookupPolicy.IPV4_FIRST;
        assertEquals(List.of(V4A, V4B, V6A, V6B), AddressOrder.order(AddressOrder.filter(MIXED, c), c));
        assertEquals(List.of(Type.A, Type.AAAA), AddressOrder.queryTypes(c));
    }

    @Test
    void ipv6FirstWhenPreferIpv6Addresses() {
        int c = BOTH | LookupPolicy.IPV6_FIRST;
        assertEquals(List.of(V6A, V6B, V4A, V4B), AddressOrder.order(AddressOrder.filter(MIXED, c), c));
        assertEquals(List.of(Type.AAAA, Type.A), AddressOrder.queryTypes(c));
    }

    @Test
    void singleFamilyPoliciesFilter() {
        assertEquals(List.of(V4A, V4B), AddressOrder.order(AddressOrder.filter(MIXED, LookupPolicy.IPV4),
            LookupPolicy.IPV4));
        assertEquals(List.of(Type.A), AddressOrder.queryTypes(LookupPolicy.IPV4));
        assertEquals(List.of(V6A, V6B), AddressOrder.filter(MIXED, LookupPolicy.IPV6));
        assertEquals(List.of(Type.AAAA), AddressOrder.queryTypes(LookupPolicy.IPV6));
    }
}

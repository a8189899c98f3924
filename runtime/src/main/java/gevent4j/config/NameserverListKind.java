package gevent4j.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A list of nameserver addresses for {@code resolver_nameservers} (and its deprecated alias
 * {@code ares_servers}): IP literals only, optionally with a port; see {@link IpLiteral}.
 */
public final class NameserverListKind implements Kind<List<String>> {
    static final NameserverListKind INSTANCE = new NameserverListKind();

    private NameserverListKind() {
    }

    @Override
    public String name() {
        return "nameserver list";
    }

    @Override
    public String accepted() {
        return "IPv4 or IPv6 addresses, each optionally with a port as 1.2.3.4:53 or [::1]:53 (port 1 to 65535), "
                + "separated by ',' or '+'; no hostnames";
    }

    @Override
    public String kindDoc() {
        return "IP addresses, separated by `,` or `+` (`+` inside agent arguments): IPv4 dotted decimal "
                + "(`8.8.8.8`) or IPv6 (`2001:4860:4860::8888`), each optionally with a port written "
                + "`1.2.3.4:53` or `[::1]:53`. Hostnames are rejected, because resolving them would need the "
                + "DNS resolver being configured. Addresses are normalized (IPv6 as in RFC 5952); repeats are "
                + "an error.";
    }

    @Override
    public List<String> parse(String text) throws InvalidValueException {
        List<String> given = ListSyntax.split(text);
        List<String> normalized = new ArrayList<>(given.size());
        for (String entry : given) {
            normalized.add(IpLiteral.nameserver(entry));
        }
        ListSyntax.requireDistinct(given, normalized, "nameserver");
        return List.copyOf(normalized);
    }

    @Override
    public String format(List<String> value) {
        return String.join(",", value);
    }
}

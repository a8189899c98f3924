package gevent4j.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Strict parsing and normalization of nameserver addresses: IPv4 and IPv6 literals, optionally with a port.
 *
 * <p>Hand-written on purpose. {@code InetAddress.getByName} would accept a hostname and resolve it, and a
 * DNS lookup while reading configuration, before the resolver is configured, is exactly what gevent's docs
 * warn about ("an improper address (such as a hostname instead of IP) has undefined results, including
 * hanging the process"). It also accepts forms such as {@code 1.2.3} or {@code 010.0.0.1} (octal on some
 * platforms) that we reject.
 *
 * <p>Normalized forms: IPv4 as dotted decimal; IPv6 in RFC 5952 text (lower case, no leading zeros, the
 * longest run of zero groups as {@code ::}); with a port, {@code 1.2.3.4:53} or {@code [::1]:53}.
 */
final class IpLiteral {
    private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");
    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.?");
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");

    private IpLiteral() {
    }

    /** Parses one nameserver entry ({@code 1.2.3.4}, {@code 1.2.3.4:53}, {@code ::1}, {@code [::1]:53}). */
    static String nameserver(String entry) throws InvalidValueException {
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            if (close < 0) {
                throw malformed(entry, "missing ']'");
            }
            String address = formatIpv6(ipv6(entry, entry.substring(1, close)));
            String rest = entry.substring(close + 1);
            if (rest.isEmpty()) {
                return address;
            }
            if (!rest.startsWith(":")) {
                throw malformed(entry, "expected ':port' after ']'");
            }
            return "[" + address + "]:" + port(entry, rest.substring(1));
        }
        int colons = (int) entry.chars().filter(c -> c == ':').count();
        if (colons >= 2) {
            // A bare IPv6 literal cannot carry a port: '::1:53' is itself an address. Ports need brackets.
            return formatIpv6(ipv6(entry, entry));
        }
        if (colons == 1) {
            int colon = entry.indexOf(':');
            return formatIpv4(ipv4(entry, entry.substring(0, colon))) + ":" + port(entry, entry.substring(colon + 1));
        }
        return formatIpv4(ipv4(entry, entry));
    }

    static int[] ipv4(String entry, String address) throws InvalidValueException {
        if (!DIGITS_AND_DOTS.matcher(address).matches()) {
            if (HOSTNAME.matcher(address).matches()) {
                throw new InvalidValueException("nameserver " + Text.quote(entry) + " is a hostname; nameservers "
                        + "must be IP addresses, because resolving a name would itself need DNS");
            }
            throw malformed(entry, "not an IP address");
        }
        String[] parts = address.split("\\.", -1);
        if (parts.length != 4) {
            throw malformed(entry, "an IPv4 address has four dot-separated numbers");
        }
        int[] octets = new int[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3) {
                throw malformed(entry, "each IPv4 number has one to three digits");
            }
            if (part.length() > 1 && part.charAt(0) == '0') {
                // inet_aton reads a leading zero as octal, so '010.0.0.1' is ambiguous: refuse to guess.
                throw malformed(entry, "IPv4 number " + Text.quote(part) + " has a leading zero");
            }
            octets[i] = Integer.parseInt(part);
            if (octets[i] > 255) {
                throw malformed(entry, "IPv4 number " + octets[i] + " is greater than 255");
            }
        }
        return octets;
    }

    /** Parses RFC 4291 text form, including {@code ::} compression and a dotted IPv4 tail, into 8 groups. */
    static int[] ipv6(String entry, String address) throws InvalidValueException {
        if (address.indexOf('%') >= 0) {
            throw malformed(entry, "scoped addresses (%zone) are not supported");
        }
        int doubleColon = address.indexOf("::");
        if (doubleColon >= 0 && address.indexOf("::", doubleColon + 1) >= 0) {
            throw malformed(entry, "'::' may appear only once");
        }
        List<Integer> head;
        List<Integer> tail;
        if (doubleColon >= 0) {
            head = groups(entry, address.substring(0, doubleColon), false);
            tail = groups(entry, address.substring(doubleColon + 2), true);
        } else {
            head = groups(entry, address, true);
            tail = List.of();
        }
        int given = head.size() + tail.size();
        if (doubleColon >= 0 ? given > 7 : given != 8) {
            throw malformed(entry, "an IPv6 address has eight groups, or fewer with '::'");
        }
        int[] groups = new int[8];
        for (int i = 0; i < head.size(); i++) {
            groups[i] = head.get(i);
        }
        for (int i = 0; i < tail.size(); i++) {
            groups[8 - tail.size() + i] = tail.get(i);
        }
        return groups;
    }

    private static List<Integer> groups(String entry, String part, boolean endsAddress)
            throws InvalidValueException {
        List<Integer> groups = new ArrayList<>();
        if (part.isEmpty()) {
            return groups;
        }
        String[] pieces = part.split(":", -1);
        for (int i = 0; i < pieces.length; i++) {
            String piece = pieces[i];
            if (endsAddress && i == pieces.length - 1 && piece.indexOf('.') >= 0) {
                int[] v4 = ipv4(entry, piece);
                groups.add(v4[0] << 8 | v4[1]);
                groups.add(v4[2] << 8 | v4[3]);
            } else if (HEX_GROUP.matcher(piece).matches()) {
                groups.add(Integer.parseInt(piece, 16));
            } else {
                throw malformed(entry, piece.isEmpty() ? "empty IPv6 group" : "bad IPv6 group " + Text.quote(piece));
            }
        }
        return groups;
    }

    private static int port(String entry, String text) throws InvalidValueException {
        if (!PORT.matcher(text).matches()) {
            throw new InvalidValueException("bad port " + Text.quote(text) + " in " + Text.quote(entry)
                    + " (must be 1 to 65535)");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw new InvalidValueException("bad port " + Text.quote(text) + " in " + Text.quote(entry)
                    + " (must be 1 to 65535)");
        }
        return port;
    }

    static String formatIpv4(int[] octets) {
        return octets[0] + "." + octets[1] + "." + octets[2] + "." + octets[3];
    }

    /** RFC 5952 section 4 text, keeping the dotted tail for IPv4-mapped addresses (section 5). */
    static String formatIpv6(int[] groups) {
        if (groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0 && groups[4] == 0
                && groups[5] == 0xffff) {
            return "::ffff:" + (groups[6] >> 8) + "." + (groups[6] & 0xff) + "." + (groups[7] >> 8) + "."
                    + (groups[7] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is never shortened to '::' (RFC 5952 4.2.2)
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    private static InvalidValueException malformed(String entry, String why) {
        return new InvalidValueException("malformed nameserver " + Text.quote(entry) + ": " + why);
    }
}

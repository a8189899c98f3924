package gevent4j.resolver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The parts of {@code resolv.conf(5)} the {@code dnsjava} resolver uses, read as glibc reads them:
 * at most three {@code nameserver} lines (IP literals only; anything else is ignored, as glibc does,
 * and never resolved), {@code search}/{@code domain} (the last one wins), and {@code options ndots:n
 * timeout:n attempts:n} with glibc's defaults and caps. The {@code LOCALDOMAIN} and
 * {@code RES_OPTIONS} environment variables override the file, as they do for glibc.
 *
 * @param servers the nameservers, in file order; {@code 127.0.0.1:53} when the file names none
 * @param search the search list, without trailing dots
 * @param ndots names with fewer dots are tried with the search list first
 * @param timeout how long to wait for one answer from one server
 * @param attempts how many times each server is asked
 */
public record ResolvConf(List<InetSocketAddress> servers, List<String> search, int ndots, Duration timeout,
        int attempts) {

    /** glibc's {@code MAXNS}: nameservers after the third are ignored. */
    static final int MAX_NAMESERVERS = 3;
    /** glibc's caps, {@code RES_MAXNDOTS}, {@code RES_MAXRETRANS} (seconds) and {@code RES_MAXRETRY}. */
    private static final int MAX_NDOTS = 15;
    private static final int MAX_TIMEOUT_SECONDS = 30;
    private static final int MAX_ATTEMPTS = 5;
    private static final int DNS_PORT = 53;

    public ResolvConf {
        servers = List.copyOf(servers);
        search = List.copyOf(search);
    }

    /** Reads {@code path} (a missing file gives glibc's defaults) with the process's environment. */
    public static ResolvConf read(Path path) throws IOException {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException missing) {
            text = "";
        }
        return parse(text, System.getenv());
    }

    /** Parses the text of a {@code resolv.conf}; {@code env} supplies LOCALDOMAIN and RES_OPTIONS. */
    static ResolvConf parse(String text, Map<String, String> env) {
        List<InetSocketAddress> servers = new ArrayList<>();
        List<String> search = List.of();
        int[] options = {1, 5, 2};
        for (String line : text.split("\n")) {
            String[] words = line.strip().split("[ \t]+");
            if (words.length == 0 || words[0].isEmpty() || words[0].startsWith("#") || words[0].startsWith(";")) {
                continue;
            }
            switch (words[0]) {
                case "nameserver" -> {
                    InetAddress address = words.length > 1 ? literal(words[1]) : null;
                    if (address != null && servers.size() < MAX_NAMESERVERS) {
                        servers.add(new InetSocketAddress(address, DNS_PORT));
                    }
                }
                case "domain" -> search = words.length > 1 ? List.of(trimDot(words[1])) : List.of();
                case "search" -> search = searchList(words, 1);
                case "options" -> options(words, 1, options);
                default -> { }
            }
        }
        String localdomain = env.get("LOCALDOMAIN");
        if (localdomain != null) {
            search = searchList(localdomain.strip().split("[ \t]+"), 0);
        }
        String resOptions = env.get("RES_OPTIONS");
        if (resOptions != null) {
            options(resOptions.strip().split("[ \t]+"), 0, options);
        }
        if (servers.isEmpty()) {
            servers.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), DNS_PORT));
        }
        return new ResolvConf(servers, search, options[0], Duration.ofSeconds(options[1]), options[2]);
    }

    /**
     * This configuration with {@code entries} (normalized {@code resolver_nameservers} values:
     * {@code 1.2.3.4}, {@code 1.2.3.4:5353}, {@code ::1} or {@code [::1]:5353}) as its nameservers;
     * the search list and options stay. Every entry is kept: the setting is explicit, so glibc's
     * limit of three does not apply.
     */
    public ResolvConf withNameservers(List<String> entries) {
        List<InetSocketAddress> replaced = new ArrayList<>(entries.size());
        for (String entry : entries) {
            replaced.add(nameserver(entry));
        }
        return new ResolvConf(replaced, search, ndots, timeout, attempts);
    }

    /** One normalized {@code resolver_nameservers} entry as an address and port (53 when not given). */
    public static InetSocketAddress nameserver(String entry) {
        String host = entry;
        int port = DNS_PORT;
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            host = entry.substring(1, close);
            if (close + 1 < entry.length()) {
                port = Integer.parseInt(entry.substring(close + 2));
            }
        } else if (entry.indexOf(':') == entry.lastIndexOf(':') && entry.indexOf(':') > 0) {
            host = entry.substring(0, entry.indexOf(':'));
            port = Integer.parseInt(entry.substring(entry.indexOf(':') + 1));
        }
        InetAddress address = literal(host);
        if (address == null) {
            throw new IllegalArgumentException("not an IP address: " + entry);
        }
        return new InetSocketAddress(address, port);
    }

    /** An IP literal, or null: a nameserver is never looked up (that would need this very resolver). */
    private static InetAddress literal(String text) {
        try {
            return InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException notALiteral) {
            return null;
        }
    }

    private static List<String> searchList(String[] words, int from) {
        List<String> list = new ArrayList<>();
        for (int i = from; i < words.length; i++) {
            if (!words[i].isEmpty()) {
                list.add(trimDot(words[i]));
            }
        }
        return list;
    }

    private static void options(String[] words, int from, int[] options) {
        for (int i = from; i < words.length; i++) {
            String w = words[i];
            if (w.startsWith("ndots:")) {
                options[0] = bounded(w.substring(6), options[0], 0, MAX_NDOTS);
            } else if (w.startsWith("timeout:")) {
                options[1] = bounded(w.substring(8), options[1], 1, MAX_TIMEOUT_SECONDS);
            } else if (w.startsWith("attempts:")) {
                options[2] = bounded(w.substring(9), options[2], 1, MAX_ATTEMPTS);
            }
        }
    }

    private static int bounded(String digits, int fallback, int min, int max) {
        try {
            return Math.max(min, Math.min(max, Integer.parseInt(digits)));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String trimDot(String name) {
        return name.length() > 1 && name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}

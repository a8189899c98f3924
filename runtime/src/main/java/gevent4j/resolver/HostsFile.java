package gevent4j.resolver;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code hosts(5)}, consulted before DNS as glibc's {@code hosts: files dns} does: every address of a
 * name (canonical name or alias, any case) in file order, and the canonical name of an address for
 * reverse lookups. The file is read again when its modification time changes, as glibc reads it on
 * every lookup. dnsjava's {@code HostsFileParser} is not used because it answers one address per
 * name and no reverse lookups.
 *
 * <p>The file is read when this object is made (at start-up), so that the first burst of lookups
 * finds it parsed: read lazily, every greenlet of the burst saw no snapshot and read the file
 * itself, each read going to the threadpool (a regular file) and starting a native thread there,
 * 70 of them for 500 concurrent lookups. After a change, likewise, one caller reads the file
 * again while the callers that overlap it keep answering from the previous contents, as they
 * would have had they started a moment earlier.
 */
final class HostsFile {
    private final Path path;
    private volatile Snapshot snapshot = new Snapshot(null, Map.of(), Map.of());
    /** Set while one caller reads the changed file. */
    private final AtomicBoolean reading = new AtomicBoolean();

    private record Snapshot(FileTime modified, Map<String, List<InetAddress>> byName, Map<InetAddress, String> byAddress) {
    }

    HostsFile(Path path) {
        this.path = path;
        current();
    }

    /** The addresses of {@code host} (without its trailing dot), in file order; empty when absent. */
    List<InetAddress> addresses(String host) {
        return current().byName.getOrDefault(host.toLowerCase(Locale.ROOT), List.of());
    }

    /** The canonical name of {@code address}, or null. */
    String name(InetAddress address) {
        return current().byAddress.get(address);
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(path);
        } catch (IOException missing) {
            modified = null;
        }
        if (modified != null && modified.equals(s.modified) || modified == null && s.modified == null) {
            return s;
        }
        if (!reading.compareAndSet(false, true)) {
            return s;
        }
        try {
            try {
                s = parse(modified == null ? "" : Files.readString(path, StandardCharsets.ISO_8859_1), modified);
            } catch (NoSuchFileException gone) {
                s = new Snapshot(null, Map.of(), Map.of());
            } catch (IOException unreadable) {
                return s;
            }
            snapshot = s;
            return s;
        } finally {
            reading.set(false);
        }
    }

    static Snapshot parse(String text, FileTime modified) {
        Map<String, List<InetAddress>> byName = new HashMap<>();
        Map<InetAddress, String> byAddress = new HashMap<>();
        for (String line : text.split("\n")) {
            int hash = line.indexOf('#');
            String[] words = (hash >= 0 ? line.substring(0, hash) : line).strip().split("[ \t]+");
            if (words.length < 2) {
                continue;
            }
            InetAddress address;
            try {
                address = InetAddress.ofLiteral(words[0]);
            } catch (IllegalArgumentException notAnAddress) {
                continue;
            }
            byAddress.putIfAbsent(address, words[1]);
            for (String name : Arrays.copyOfRange(words, 1, words.length)) {
                List<InetAddress> list = byName.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>());
                if (!list.contains(address)) {
                    list.add(address);
                }
            }
        }
        byName.replaceAll((k, v) -> List.copyOf(v));
        return new Snapshot(modified, Map.copyOf(byName), Map.copyOf(byAddress));
    }
}

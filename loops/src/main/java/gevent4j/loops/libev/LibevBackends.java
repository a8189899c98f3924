package gevent4j.loops.libev;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * libev's backend names ({@code EVBACKEND_*} in ev.h) and the {@code libev_backend} setting.
 *
 * <p>The setting names one backend, or a list ({@code epoll,poll}) of backends libev may choose
 * from, as gevent's {@code libev_backend} does: the flags are ORed and libev picks the best of them.
 * The runtime passes a configured list joined with commas.
 */
final class LibevBackends {

    static final int SELECT = 0x01;
    static final int POLL = 0x02;
    static final int EPOLL = 0x04;
    static final int KQUEUE = 0x08;
    static final int DEVPOLL = 0x10;
    static final int PORT = 0x20;
    static final int LINUXAIO = 0x40;
    static final int IOURING = 0x80;

    /** In the order of the error message the setting documents. */
    private static final String[] NAMES = {"select", "poll", "epoll", "linuxaio", "kqueue", "devpoll", "port", "io_uring"};
    private static final int[] FLAGS = {SELECT, POLL, EPOLL, LINUXAIO, KQUEUE, DEVPOLL, PORT, IOURING};

    private LibevBackends() {
    }

    /**
     * The backend flags for a {@code libev_backend} value, checked against what this libev build
     * supports. Null or blank means libev's own recommendation and yields 0.
     *
     * @throws IllegalArgumentException naming the value: an unknown name, or one this build lacks
     */
    static int parse(String value, int supported) {
        return parse(value, supported, supported);
    }

    /** As {@link #parse(String, int)}; errors list {@code usable} (supported minus refused) as the choice. */
    static int parse(String value, int supported, int usable) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        int flags = 0;
        for (String item : value.split("[,+]")) {
            String name = item.trim().toLowerCase(Locale.ROOT);
            int flag = flag(name.equals("iouring") ? "io_uring" : name);
            if (flag == 0) {
                throw new IllegalArgumentException("libev_backend=" + value + ": unknown backend; libev knows "
                    + String.join(", ", NAMES));
            }
            if ((supported & flag) == 0) {
                throw new IllegalArgumentException("libev_backend=" + value + ": this libev build does not support "
                    + name(flag) + "; usable here: " + names(usable));
            }
            flags |= flag;
        }
        return flags;
    }

    private static int flag(String name) {
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return FLAGS[i];
            }
        }
        return 0;
    }

    /** The name of one backend flag, e.g. {@code epoll}. */
    static String name(int flag) {
        for (int i = 0; i < FLAGS.length; i++) {
            if (FLAGS[i] == flag) {
                return NAMES[i];
            }
        }
        return "0x" + Integer.toHexString(flag);
    }

    /** Comma-separated names of a set of backend flags, in ev.h's order (select first). */
    static String names(int flags) {
        List<String> names = new ArrayList<>();
        for (int bit = 1; bit <= IOURING; bit <<= 1) {
            if ((flags & bit) != 0) {
                names.add(name(bit));
            }
        }
        return names.isEmpty() ? "none" : String.join(", ", names);
    }
}

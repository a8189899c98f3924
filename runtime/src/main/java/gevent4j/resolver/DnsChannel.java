package gevent4j.resolver;

import gevent4j.loop.LoopThread;
import java.net.InetAddress;
import java.util.List;
import java.util.function.Consumer;

/**
 * An asynchronous DNS client driven by the Hub's loop: c-ares in the {@code loops} module
 * ({@code runtime} has no native code). Its sockets are loop io watchers and its timeouts a loop
 * timer.
 *
 * <p>Threading: every method MUST be called on the loop's thread (the Hub thread, or a greenlet
 * mounted on it), and the callbacks run there. A callback may run before the method that started
 * the query returns (c-ares answers some queries synchronously, and fails some at once): callers
 * MUST be ready for that. Every query's callback runs exactly once, at the latest from
 * {@link #close()}.
 */
@LoopThread
public interface DnsChannel {

    /** The query was answered: {@link Answer#addresses()} or {@link Answer#name()} is set. */
    int OK = 0;
    /** NXDOMAIN. */
    int NOT_FOUND = 1;
    /** The name exists but has no record of the type asked. */
    int NO_DATA = 2;
    /** No server answered in the channel's own time (its timeout times its tries). */
    int TIMEOUT = 3;
    /** Any other failure: {@link Answer#detail()} says what. */
    int FAILED = 4;

    /**
     * The outcome of one query.
     *
     * @param status {@link #OK}, {@link #NOT_FOUND}, {@link #NO_DATA}, {@link #TIMEOUT} or {@link #FAILED}
     * @param detail the client's own words for a failure (e.g. c-ares's {@code ares_strerror}), or null
     * @param addresses the addresses of a forward lookup, in the server's order
     * @param name the name of a reverse lookup
     */
    record Answer(int status, String detail, List<InetAddress> addresses, String name) {
        public Answer {
            addresses = addresses == null ? List.of() : List.copyOf(addresses);
        }

        public static Answer failed(int status, String detail) {
            return new Answer(status, detail, List.of(), null);
        }
    }

    /**
     * Asks for the A ({@code ipv4}) and/or AAAA ({@code ipv6}) records of {@code host}, with the
     * search list of the system's configuration.
     */
    void queryByName(String host, boolean ipv4, boolean ipv6, Consumer<Answer> done);

    /** Asks for the PTR record of {@code address}. */
    void queryByAddress(InetAddress address, Consumer<Answer> done);

    /** Ends every pending query (their callbacks run with {@link #FAILED}) and frees the client. Idempotent. */
    void close();
}

package gevent4j.loops.ares;

import com.kenai.jffi.MemoryIO;
import gevent4j.hub.Log;
import gevent4j.loop.IoCallback;
import gevent4j.loop.IoWatcher;
import gevent4j.loop.Loop;
import gevent4j.loop.TimerCallback;
import gevent4j.loop.TimerWatcher;
import gevent4j.resolver.DnsChannel;
import gevent4j.resolver.ResolvConf;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One c-ares channel driven by a gevent4j {@link Loop}, as gevent's {@code ares.pyx} drives it from
 * libev: {@code sock_state_cb} starts, retargets and stops one loop io watcher per socket c-ares
 * opens; a ready socket is handed to {@code ares_process_fd}; one loop timer is re-armed from
 * {@code ares_timeout} after every call into c-ares, and its expiry calls
 * {@code ares_process_fd(ARES_SOCKET_BAD, ARES_SOCKET_BAD)} to run c-ares's retries and timeouts.
 *
 * <p>Note on re-entrancy: c-ares calls back into Java from inside {@code ares_getaddrinfo},
 * {@code ares_gethostbyaddr} (an answer from its hosts file, or an immediate failure), from
 * {@code ares_process_fd} and from {@code ares_destroy}. The callbacks only change watchers and
 * hand answers to their {@link Consumer}s; the timer is re-armed once the outermost call into
 * c-ares returns ({@link #depth}).
 *
 * <p>Note on lifetime: the three JNR callback objects are fields of this object, which the
 * resolver holds for the life of the process: a collected JNR closure would be called by c-ares
 * after it is gone. Every callback catches every {@link Throwable}: an exception escaping into
 * c-ares would be lost or corrupt its state. A query's {@link Consumer} is found by the number
 * passed as the callback's {@code arg}, so no Java object address goes to native code.
 *
 * <p>Threading: like the loop, this MUST only be used on the loop's thread.
 */
final class AresChannel implements DnsChannel {

    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    /** {@code struct ares_options}: 112 bytes in 1.18; room for later, appended fields. */
    private static final int OPTIONS_SIZE = 256;
    private static final int OPTIONS_SOCK_RCVBUF = 24;
    private static final int OPTIONS_SOCK_STATE_CB = 72;
    /**
     * c-ares sends every query to one server over one UDP socket: hundreds of answers arriving
     * together overflow the default receive buffer and the lost ones wait for c-ares's 5 s retry.
     * The kernel caps the size at {@code net.core.rmem_max}.
     */
    private static final int RECEIVE_BUFFER_BYTES = 4 << 20;
    private static final int OPTIONS_SOCK_STATE_CB_DATA = 80;
    /** {@code struct ares_addrinfo_hints}: {@code ai_flags, ai_family, ai_socktype, ai_protocol}. */
    private static final int HINTS_SIZE = 16;
    private static final int HINTS_FAMILY = 4;
    /** {@code struct ares_addrinfo}: {@code cnames}, {@code nodes}, {@code name}. */
    private static final int ADDRINFO_NODES = 8;
    /** {@code struct ares_addrinfo_node}: {@code ai_ttl, ai_flags, ai_family, ai_socktype, ai_protocol, ai_addrlen, ai_addr, ai_next}. */
    private static final int NODE_FAMILY = 8;
    private static final int NODE_ADDR = 24;
    private static final int NODE_NEXT = 32;
    /** {@code sockaddr_in.sin_addr}, {@code sockaddr_in6.sin6_addr}. */
    private static final int SIN_ADDR = 4;
    private static final int SIN6_ADDR = 8;
    /** {@code struct hostent.h_name}. */
    private static final int HOSTENT_NAME = 0;
    /** {@code struct timeval}: {@code tv_sec}, {@code tv_usec}, two 64-bit longs. */
    private static final int TIMEVAL_SIZE = 16;

    private final Cares cares;
    private final Loop loop;
    private final MemoryIO io = MemoryIO.getInstance();

    private final Cares.SockStateCallback sockStateObject = this::onSockState;
    private final Cares.AddrinfoCallback addrinfoObject = this::onAddrinfo;
    private final long addrinfoCallback;
    private final jnr.ffi.provider.ClosureManager closures;
    /**
     * The callbacks of pending reverse queries, one closure per query, held here until it runs:
     * on c-ares 1.18 through JNR the {@code arg} of {@code ares_gethostbyaddr}'s callback did not
     * arrive intact (a plain C caller gets it back), so reverse queries do not rely on it.
     */
    private final Map<Long, Object[]> reverseCallbacks = new HashMap<>();

    /** Hints for IPv4 only, IPv6 only and both; written once, read by c-ares during each call. */
    private final long hintsV4;
    private final long hintsV6;
    private final long hintsBoth;
    private final long timeval;
    private long channel;

    private final Map<Integer, IoWatcher> watchers = new HashMap<>();
    private final IoCallback ioCallback = this::onIo;
    private final TimerCallback timerCallback = this::onTimer;
    private final TimerWatcher timer;
    private final Map<Long, Consumer<Answer>> pending = new HashMap<>();
    private long nextQuery = 1;
    /** How deep the current thread is in calls into c-ares; the timer is re-armed at 0. */
    private int depth;

    AresChannel(Cares cares, Loop loop, List<String> nameservers) {
        this.cares = cares;
        this.loop = loop;
        this.closures = jnr.ffi.Runtime.getRuntime(cares).getClosureManager();
        long sockStateCallback = closures.getClosurePointer(Cares.SockStateCallback.class, sockStateObject).address();
        this.addrinfoCallback = closures.getClosurePointer(Cares.AddrinfoCallback.class, addrinfoObject).address();
        this.hintsV4 = hints(AF_INET);
        this.hintsV6 = hints(AF_INET6);
        this.hintsBoth = hints(0);
        this.timeval = io.allocateMemory(TIMEVAL_SIZE, true);
        this.timer = loop.timer(timerCallback);

        long options = io.allocateMemory(OPTIONS_SIZE, true);
        long channelOut = io.allocateMemory(8, true);
        try {
            io.putAddress(options + OPTIONS_SOCK_STATE_CB, sockStateCallback);
            io.putAddress(options + OPTIONS_SOCK_STATE_CB_DATA, 0L);
            io.putInt(options + OPTIONS_SOCK_RCVBUF, RECEIVE_BUFFER_BYTES);
            int rc = cares.ares_init_options(channelOut, options, Cares.ARES_OPT_SOCK_STATE_CB | Cares.ARES_OPT_SOCK_RCVBUF);
            if (rc != Cares.ARES_SUCCESS) {
                timer.close();
                freeBuffers();
                throw new IllegalStateException("ares_init_options failed: " + cares.ares_strerror(rc));
            }
            this.channel = io.getAddress(channelOut);
        } finally {
            io.freeMemory(options);
            io.freeMemory(channelOut);
        }
        if (nameservers != null && !nameservers.isEmpty()) {
            String csv = csv(nameservers);
            int rc = cares.ares_set_servers_ports_csv(channel, csv);
            if (rc != Cares.ARES_SUCCESS) {
                close();
                throw new IllegalStateException("ares_set_servers_ports_csv(" + csv + ") failed: " + cares.ares_strerror(rc));
            }
        }
    }

    /** {@code resolver_nameservers} as c-ares's list: {@code 1.2.3.4:53,[::1]:5353}. */
    static String csv(List<String> nameservers) {
        List<String> parts = new ArrayList<>(nameservers.size());
        for (String entry : nameservers) {
            InetSocketAddress server = ResolvConf.nameserver(entry);
            String host = server.getAddress().getHostAddress();
            parts.add((server.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + server.getPort());
        }
        return String.join(",", parts);
    }

    private long hints(int family) {
        long hints = io.allocateMemory(HINTS_SIZE, true);
        io.putInt(hints, Cares.ARES_AI_NOSORT);
        io.putInt(hints + HINTS_FAMILY, family);
        return hints;
    }

    @Override
    public void queryByName(String host, boolean ipv4, boolean ipv6, Consumer<Answer> done) {
        if (channel == 0) {
            done.accept(Answer.failed(FAILED, "the c-ares channel is closed"));
            return;
        }
        long id = register(done);
        long hints = ipv4 && ipv6 ? hintsBoth : ipv6 ? hintsV6 : hintsV4;
        depth++;
        try {
            cares.ares_getaddrinfo(channel, host, null, hints, addrinfoCallback, id);
        } finally {
            leave();
        }
    }

    @Override
    public void queryByAddress(InetAddress address, Consumer<Answer> done) {
        if (channel == 0) {
            done.accept(Answer.failed(FAILED, "the c-ares channel is closed"));
            return;
        }
        byte[] bytes = address.getAddress();
        long id = nextQuery++;
        Cares.HostCallback callback = (arg, status, timeouts, hostent) -> onHost(id, done, status, hostent);
        jnr.ffi.Pointer closure = closures.getClosurePointer(Cares.HostCallback.class, callback);
        reverseCallbacks.put(id, new Object[] {callback, closure});
        long addr = io.allocateMemory(bytes.length, false);
        depth++;
        try {
            io.putByteArray(addr, bytes, 0, bytes.length);
            // c-ares copies the address into its query before returning.
            cares.ares_gethostbyaddr(channel, addr, bytes.length, bytes.length == 4 ? AF_INET : AF_INET6, closure.address(), id);
        } finally {
            io.freeMemory(addr);
            leave();
        }
    }

    private long register(Consumer<Answer> done) {
        long id = nextQuery++;
        pending.put(id, done);
        return id;
    }

    private void leave() {
        if (--depth == 0 && channel != 0) {
            rearm();
        }
    }

    /** Arms the timer for c-ares's next timeout, or stops it when no query is pending. */
    private void rearm() {
        long tv = cares.ares_timeout(channel, 0L, timeval);
        if (tv == 0L) {
            timer.stop();
            return;
        }
        long nanos = io.getLong(tv) * 1_000_000_000L + io.getLong(tv + 8) * 1_000L;
        timer.start(nanos, 0);
    }

    private void onSockState(long data, int fd, int readable, int writable) {
        try {
            int events = (readable != 0 ? Loop.READ : 0) | (writable != 0 ? Loop.WRITE : 0);
            IoWatcher watcher = watchers.get(fd);
            if (events == 0) {
                if (watcher != null) {
                    watchers.remove(fd);
                    watcher.close();
                }
                // c-ares closes the socket next: drop it from the kernel before its number is reused.
                loop.fdClosing(fd);
                return;
            }
            if (watcher == null) {
                watcher = loop.io(fd, events, ioCallback);
                watchers.put(fd, watcher);
            } else if (watcher.events() == events && watcher.isActive()) {
                return;
            } else {
                watcher.stop();
                watcher.set(fd, events);
            }
            int rc = watcher.start();
            if (rc != 0) {
                Log.error("ares: cannot watch c-ares socket " + fd + " (errno " + -rc + ")");
            }
        } catch (Throwable t) {
            Log.error("ares sock_state_cb failed with " + t.getClass().getName(), t);
        }
    }

    private void onIo(IoWatcher watcher, int revents) {
        try {
            if ((revents & Loop.CLOSED) != 0) {
                watchers.remove(watcher.fd(), watcher);
                return;
            }
            if (channel == 0) {
                return;
            }
            int fd = watcher.fd();
            depth++;
            try {
                cares.ares_process_fd(channel, (revents & Loop.READ) != 0 ? fd : Cares.ARES_SOCKET_BAD,
                    (revents & Loop.WRITE) != 0 ? fd : Cares.ARES_SOCKET_BAD);
            } finally {
                leave();
            }
        } catch (Throwable t) {
            Log.error("ares io watcher failed with " + t.getClass().getName(), t);
        }
    }

    private void onTimer(TimerWatcher watcher) {
        try {
            if (channel == 0) {
                return;
            }
            depth++;
            try {
                cares.ares_process_fd(channel, Cares.ARES_SOCKET_BAD, Cares.ARES_SOCKET_BAD);
            } finally {
                leave();
            }
        } catch (Throwable t) {
            Log.error("ares timer failed with " + t.getClass().getName(), t);
        }
    }

    private void onAddrinfo(long arg, int status, int timeouts, long result) {
        try {
            Consumer<Answer> done = pending.remove(arg);
            Answer answer;
            if (status == Cares.ARES_SUCCESS) {
                answer = new Answer(OK, null, addresses(result), null);
            } else {
                answer = failure(status);
            }
            if (done != null) {
                done.accept(answer);
            }
        } catch (Throwable t) {
            Log.error("ares getaddrinfo callback failed with " + t.getClass().getName(), t);
        } finally {
            if (result != 0L) {
                cares.ares_freeaddrinfo(result);
            }
        }
    }

    private void onHost(long id, Consumer<Answer> done, int status, long hostent) {
        try {
            if (reverseCallbacks.remove(id) == null) {
                return;
            }
            Answer answer;
            if (status == Cares.ARES_SUCCESS && hostent != 0L && io.getAddress(hostent + HOSTENT_NAME) != 0L) {
                byte[] name = io.getZeroTerminatedByteArray(io.getAddress(hostent + HOSTENT_NAME));
                answer = new Answer(OK, null, List.of(), new String(name, StandardCharsets.ISO_8859_1));
            } else {
                answer = status == Cares.ARES_SUCCESS ? failure(Cares.ARES_ENOTFOUND) : failure(status);
            }
            done.accept(answer);
        } catch (Throwable t) {
            Log.error("ares gethostbyaddr callback failed with " + t.getClass().getName(), t);
        }
    }

    private Answer failure(int status) {
        return switch (status) {
            case Cares.ARES_ENOTFOUND -> Answer.failed(NOT_FOUND, null);
            case Cares.ARES_ENODATA -> Answer.failed(NO_DATA, null);
            case Cares.ARES_ETIMEOUT -> Answer.failed(TIMEOUT, "c-ares: " + cares.ares_strerror(status));
            default -> Answer.failed(FAILED, "c-ares: " + cares.ares_strerror(status));
        };
    }

    /** The addresses of an {@code ares_addrinfo}, in its order, without repeats. */
    private List<InetAddress> addresses(long result) throws UnknownHostException {
        Set<InetAddress> found = new LinkedHashSet<>();
        if (result == 0L) {
            return List.of();
        }
        for (long node = io.getAddress(result + ADDRINFO_NODES); node != 0L; node = io.getAddress(node + NODE_NEXT)) {
            int family = io.getInt(node + NODE_FAMILY);
            long sockaddr = io.getAddress(node + NODE_ADDR);
            if (sockaddr == 0L) {
                continue;
            }
            if (family == AF_INET) {
                byte[] a = new byte[4];
                io.getByteArray(sockaddr + SIN_ADDR, a, 0, 4);
                found.add(InetAddress.getByAddress(a));
            } else if (family == AF_INET6) {
                byte[] a = new byte[16];
                io.getByteArray(sockaddr + SIN6_ADDR, a, 0, 16);
                found.add(InetAddress.getByAddress(a));
            }
        }
        return List.copyOf(found);
    }

    @Override
    public void close() {
        if (channel == 0) {
            return;
        }
        long c = channel;
        depth++;
        try {
            // Runs every pending callback with ARES_EDESTRUCTION and closes c-ares's sockets
            // (sock_state_cb with no interest for each).
            cares.ares_destroy(c);
        } finally {
            depth--;
            channel = 0;
        }
        for (IoWatcher w : watchers.values()) {
            w.close();
        }
        watchers.clear();
        timer.close();
        for (Consumer<Answer> done : pending.values()) {
            done.accept(Answer.failed(FAILED, "the c-ares channel is closed"));
        }
        pending.clear();
        reverseCallbacks.clear();
        freeBuffers();
    }

    private void freeBuffers() {
        io.freeMemory(hintsV4);
        io.freeMemory(hintsV6);
        io.freeMemory(hintsBoth);
        io.freeMemory(timeval);
    }
}

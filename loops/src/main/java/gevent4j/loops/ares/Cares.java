package gevent4j.loops.ares;

import jnr.ffi.annotations.Delegate;
import jnr.ffi.annotations.IgnoreError;

/**
 * The part of c-ares's C API ({@code ares.h}, 1.16 or later: {@code ares_getaddrinfo}) that the
 * {@code ares} resolver binds through JNR-FFI.
 *
 * <p>As in the libuv binding, every pointer ({@code ares_channel}, structs, callbacks) is a raw
 * {@code long} address, which needs an LP64 platform ({@link AresChannelProvider} checks).
 * {@code ares_socket_t} is {@code int} on Unix. c-ares reports errors as return or callback status
 * codes ({@code ARES_E*}), never through {@code errno}, so no call saves {@code errno}.
 *
 * <p>Struct layouts are avoided where c-ares offers a call instead: the nameservers are set with
 * {@code ares_set_servers_ports_csv} (text), not {@code struct ares_options.servers}. What remains
 * is read or written at offsets checked against {@code ares.h} 1.18 on x86_64/aarch64 (LP64), see
 * {@link AresChannel}: {@code struct ares_options} (only {@code sock_state_cb} and its data, at 72
 * and 80, a prefix unchanged since c-ares 1.7; later versions only append fields),
 * {@code struct ares_addrinfo_hints} (four ints), {@code struct ares_addrinfo} and its nodes,
 * {@code struct hostent} (POSIX) and {@code struct timeval}.
 */
public interface Cares {

    int ARES_LIB_INIT_ALL = 1;
    int ARES_OPT_SOCK_STATE_CB = 1 << 9;
    int ARES_OPT_SOCK_RCVBUF = 1 << 12;
    /** Keep the server's order; without it c-ares 1.16+ sorts by RFC 6724 (connecting UDP sockets to do so). */
    int ARES_AI_NOSORT = 1 << 7;
    int ARES_SOCKET_BAD = -1;

    int ARES_SUCCESS = 0;
    int ARES_ENODATA = 1;
    int ARES_ENOTFOUND = 4;
    int ARES_ETIMEOUT = 12;

    @IgnoreError
    int ares_library_init(int flags);

    /** {@code const char *ares_version(int *version)}: the version string; the number into {@code versionOut}. */
    @IgnoreError
    String ares_version(long versionOut);

    @IgnoreError
    int ares_init_options(long channelOut, long options, int optmask);

    @IgnoreError
    void ares_destroy(long channel);

    @IgnoreError
    int ares_set_servers_ports_csv(long channel, String servers);

    @IgnoreError
    void ares_getaddrinfo(long channel, String name, String service, long hints, long callback, long arg);

    @IgnoreError
    void ares_freeaddrinfo(long addrinfo);

    @IgnoreError
    void ares_gethostbyaddr(long channel, long addr, int addrlen, int family, long callback, long arg);

    @IgnoreError
    void ares_process_fd(long channel, int readFd, int writeFd);

    /** {@code struct timeval *ares_timeout(ares_channel, struct timeval *maxtv, struct timeval *tv)}. */
    @IgnoreError
    long ares_timeout(long channel, long maxtv, long tv);

    @IgnoreError
    String ares_strerror(int code);

    /** {@code ares_sock_state_cb}: c-ares opened, changed interest in, or is closing {@code fd}. */
    interface SockStateCallback {
        @Delegate
        void call(long data, int fd, int readable, int writable);
    }

    /** {@code ares_addrinfo_callback}: the callee owns {@code result} and frees it. */
    interface AddrinfoCallback {
        @Delegate
        void call(long arg, int status, int timeouts, long result);
    }

    /** {@code ares_host_callback}: {@code hostent} belongs to c-ares and is freed after the call. */
    interface HostCallback {
        @Delegate
        void call(long arg, int status, int timeouts, long hostent);
    }
}

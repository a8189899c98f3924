package gevent4j.loops.libuv;

import jnr.ffi.annotations.Variadic;

/**
 * The two libc calls the libuv loop makes itself, both to keep libuv from doing something worse:
 * {@code epoll_ctl} to check, before libuv registers a descriptor, that the kernel will accept it
 * (libuv {@code abort()}s otherwise; see {@link PollTable}), and {@code fcntl} to undo the
 * {@code O_NONBLOCK} that {@code uv_poll_init} sets on every descriptor it is given. Both save
 * {@code errno} (JNR's default), read back with {@code jnr.ffi.LastError}.
 */
public interface Libc {

    int EPOLL_CTL_ADD = 1;
    int EPOLLIN = 0x001;
    int EPOLLOUT = 0x004;
    int EPOLLRDHUP = 0x2000;

    int F_GETFL = 3;
    int F_SETFL = 4;
    /** {@code O_NONBLOCK} on Linux x86_64 and aarch64 (asm-generic/fcntl.h). */
    int O_NONBLOCK = 0x800;

    int EEXIST = 17;

    /** {@code int epoll_ctl(int epfd, int op, int fd, struct epoll_event* event)}. */
    int epoll_ctl(int epfd, int op, int fd, long event);

    /** {@code int fcntl(int fd, int cmd, ...)}, with one int argument or none. */
    @Variadic(fixedCount = 2)
    int fcntl(int fd, int cmd, int arg);
}

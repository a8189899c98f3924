package gevent4j.loops.libuv;

/**
 * The libc calls the libuv loop makes itself: it registers the application's descriptors in libuv's
 * epoll set with its own {@code epoll_ctl}, so that libuv never sees them (see {@link PollTable}),
 * and keeps a pipe whose read end it duplicates into placeholder descriptors for libuv's poll
 * handles. All save {@code errno} (JNR's default), read back with {@code jnr.ffi.LastError}.
 */
public interface Libc {

    int EPOLL_CTL_ADD = 1;
    int EPOLL_CTL_DEL = 2;
    int EPOLL_CTL_MOD = 3;
    int EPOLLIN = 0x001;
    int EPOLLOUT = 0x004;
    int EPOLLRDHUP = 0x2000;

    int F_DUPFD_CLOEXEC = 1030;
    int O_CLOEXEC = 0x80000;

    int ENOENT = 2;
    int EEXIST = 17;

    /** {@code int epoll_ctl(int epfd, int op, int fd, struct epoll_event* event)}. */
    int epoll_ctl(int epfd, int op, int fd, long event);

    /** {@code int fcntl(int fd, int cmd, ...)}, with one int argument. */
    @jnr.ffi.annotations.Variadic(fixedCount = 2)
    int fcntl(int fd, int cmd, int arg);

    int epoll_create1(int flags);

    /** {@code int epoll_wait(int epfd, struct epoll_event* events, int maxevents, int timeout)}. */
    int epoll_wait(int epfd, long events, int maxevents, int timeout);

    int pipe2(int[] fds, int flags);

    long write(int fd, byte[] buffer, long count);

    int close(int fd);
}

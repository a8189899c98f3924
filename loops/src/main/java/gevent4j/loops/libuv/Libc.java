package gevent4j.loops.libuv;

import gevent4j.loops.common.TimerFd;

/**
 * The libc calls the libuv loop makes itself: its nested epoll set ({@link EpollSet}), in which it
 * registers the application's descriptors so that libuv never sees them (see {@link PollTable}), and
 * the pipes of {@link LibuvLayout}'s start-up check of {@code struct epoll_event}, and the timerfd
 * that ends a wait at the earliest timer ({@link TimerFd}), whose calls return -1 on failure. Failures come back
 * as {@code -errno}, which each binding captures right after the call (JNR's saved errno, FFM's
 * {@code captureCallState}): the JVM may change errno before Java could read it.
 */
public interface Libc extends TimerFd.Syscalls {

    int EPOLL_CTL_ADD = 1;
    int EPOLL_CTL_DEL = 2;
    int EPOLL_CTL_MOD = 3;
    int EPOLLIN = 0x001;
    int EPOLLPRI = 0x002;
    int EPOLLOUT = 0x004;
    int EPOLLERR = 0x008;
    int EPOLLHUP = 0x010;
    int EPOLLRDHUP = 0x2000;

    /** Also {@code EPOLL_CLOEXEC}. */
    int O_CLOEXEC = 0x80000;

    int ENOENT = 2;
    int EEXIST = 17;

    /** {@code epoll_ctl(epfd, op, fd, event)}: 0, or -errno. */
    int epoll_ctl(int epfd, int op, int fd, long event);

    /** {@code epoll_create1(flags)}: a descriptor, or -errno. */
    int epoll_create1(int flags);

    /** {@code epoll_wait(epfd, events, maxevents, timeout)}: the event count, or -errno. */
    int epoll_wait(int epfd, long events, int maxevents, int timeout);

    /** {@code pipe2} into the two ints at {@code fds}: 0, or -errno. */
    int pipe2(long fds, int flags);

    /** {@code write(fd, buf, count)}: bytes written, or -errno. */
    long write(int fd, long buf, long count);

    @Override
    int close(int fd);

    // timerfd_create and timerfd_settime: from TimerFd.Syscalls, for the loop's deadline timer.

    /**
     * Sets up whatever per-thread state the binding keeps for its calls, if this thread has none yet.
     * That setup may unmount the calling greenlet (it is a thread of its own), and other greenlets
     * run meanwhile: a caller that fills memory shared with them (an {@code epoll_event}) and passes
     * it to the next call makes this call first, so that nothing between filling and calling can
     * unmount it.
     */
    default void prepareThread() {
    }
}

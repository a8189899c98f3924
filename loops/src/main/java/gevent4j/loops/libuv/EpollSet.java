package gevent4j.loops.libuv;

import gevent4j.loop.LoopException;
import gevent4j.loops.common.NativeAccess;

/**
 * The loop's own epoll instance, nested in libuv's: libuv watches only this descriptor (one
 * {@code uv_poll_t}, readable while any descriptor registered here is ready), and the loop registers
 * the application's descriptors here with {@code epoll_ctl} and collects their events with a
 * non-blocking {@code epoll_wait}. This class only talks to the kernel; {@link PollTable} decides
 * what is registered. Owner thread only.
 *
 * <p>Each registration carries a 64-bit {@code epoll_data}: a {@link #tag} word and a {@link #key}
 * word ({@link PollTable} puts the descriptor, or an internal slot, there).
 */
final class EpollSet {

    private static final int INITIAL_EVENTS = 256;
    /** Grown up to this (one batch per poll, as on the jdk loop); the rest waits for the next poll. */
    private static final int MAX_EVENTS = 64 * 1024;

    private final Libc libc;
    private final NativeAccess io;
    private final int epfd;
    /** {@code struct epoll_event}: packed (12 bytes, data at 4) on x86_64 only (sys/epoll.h). */
    private final int dataOffset;
    private final int stride;
    /** One epoll_event for epoll_ctl. */
    private long scratch;
    private long events;
    private int capacity;
    private long ctlCalls;
    private long waitCalls;

    private EpollSet(Libc libc, NativeAccess io, int epfd) {
        this.libc = libc;
        this.io = io;
        this.epfd = epfd;
        this.dataOffset = epollDataOffset();
        this.stride = dataOffset == 4 ? 12 : 16;
    }

    /**
     * epoll_create1(EPOLL_CLOEXEC) and the buffers; throws {@link LoopException} when the kernel
     * refuses.
     */
    static EpollSet create(Libuv uv, Libc libc) {
        int fd = libc.epoll_create1(Libc.O_CLOEXEC); // EPOLL_CLOEXEC == O_CLOEXEC
        if (fd < 0) {
            throw new LoopException("epoll_create1", -fd, uv.uv_err_name(fd)); // libuv's names are -errno's
        }
        NativeAccess io = uv.memory();
        EpollSet set = new EpollSet(libc, io, fd);
        try {
            set.scratch = io.allocate("epoll_event scratch", 16);
            set.capacity = INITIAL_EVENTS;
            set.events = io.allocate("epoll_event batch", (long) INITIAL_EVENTS * set.stride);
        } catch (OutOfMemoryError e) {
            set.close();
            throw e;
        }
        return set;
    }

    /**
     * Where {@code epoll_event.data} is: the struct is packed on x86_64 only ({@code __EPOLL_PACKED}
     * in glibc's sys/epoll.h), so data follows the 4-byte events there and is 8-aligned elsewhere.
     * {@link LibuvLayout} confirms it with a real epoll_wait.
     */
    static int epollDataOffset() {
        String arch = System.getProperty("os.arch", "");
        return arch.equals("amd64") || arch.equals("x86_64") ? 4 : 8;
    }

    /** The epoll descriptor, which libuv polls. */
    int fd() {
        return epfd;
    }

    /**
     * One epoll_ctl: 0 or errno (positive). {@code key} and {@code tag} are the data's two words.
     * The scratch event is shared by every caller: nothing between writing it and the call may let
     * the calling greenlet unmount, or another one could rewrite it meanwhile (then a descriptor was
     * registered with another one's number as data: an echo server lost a connection and spun on the
     * other's events). Hence {@link Libc#prepareThread()} first.
     */
    int ctl(int op, int fd, int epollEvents, int key, int tag) {
        libc.prepareThread();
        io.putInt(scratch, epollEvents);
        // Two ints: on x86_64 the data is only 4-aligned, and the word order is the CPU's (little-endian).
        io.putInt(scratch + dataOffset, key);
        io.putInt(scratch + dataOffset + 4, tag);
        ctlCalls++;
        return -libc.epoll_ctl(epfd, op, fd, scratch);
    }

    /** epoll_wait without blocking: the number of events now in the batch (0 on EINTR and errors). */
    int poll() {
        waitCalls++;
        int n = libc.epoll_wait(epfd, events, capacity, 0);
        return Math.max(n, 0);
    }

    /** After a poll that filled the batch: the next one may take twice as many. */
    void growIfFull(int n) {
        if (n == capacity && capacity < MAX_EVENTS) {
            long bigger = io.allocate("epoll_event batch", (long) capacity * 2 * stride);
            io.free(events);
            events = bigger;
            capacity *= 2;
        }
    }

    int events(int i) {
        return io.getInt(events + (long) i * stride);
    }

    int key(int i) {
        return io.getInt(events + (long) i * stride + dataOffset);
    }

    int tag(int i) {
        return io.getInt(events + (long) i * stride + dataOffset + 4);
    }

    long ctlCalls() {
        return ctlCalls;
    }

    long waitCalls() {
        return waitCalls;
    }

    int capacity() {
        return capacity;
    }

    /** Closes the epoll descriptor (its registrations go with it) and frees the buffers. */
    void close() {
        if (scratch != 0) {
            io.free(scratch);
            scratch = 0;
        }
        if (events != 0) {
            io.free(events);
            events = 0;
        }
        libc.close(epfd);
    }
}

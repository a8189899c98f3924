package gevent4j.loops.libuv;

import gevent4j.loops.common.NativeAccess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the loaded libuv says about its memory layout, read once at start-up, and the checks that
 * decide whether the loop may use it. The loop allocates every handle with the size the library
 * reports ({@code uv_loop_size}, {@code uv_handle_size}), never a size compiled in here; its only
 * layout assumptions are the ones {@link #problem()} verifies: 64-bit pointers (every pointer is a
 * Java {@code long}), the handle type numbers (confirmed by name), {@code data} at offset 0 of every
 * handle (read directly in callbacks), the epoll backend (the loop nests an epoll set of its own in
 * libuv's, see {@link EpollSet}), and where {@code struct epoll_event} keeps its data (the loop reads
 * and writes the events of that set itself).
 *
 * <p>For libuv 1.44 on x86_64 the sizes are 848 for the loop and 160 / 152 / 128 for poll, timer and
 * async handles; the bounds below only catch a binding that reads garbage.
 *
 * @param version {@code uv_version()}, {@code major << 16 | minor << 8 | patch}
 * @param dataAtOffsetZero whether {@code uv_handle_set_data} / {@code uv_handle_get_data} round-trip
 *     through the first word of a handle
 * @param backend what {@code uv_backend_fd} of a fresh loop is: {@code epoll}, or what else it was
 */
record LibuvLayout(int version, String versionString, int addressSize, long loopSize, long pollSize,
                   long timerSize, long asyncSize, String pollTypeName, String timerTypeName,
                   String asyncTypeName, boolean dataAtOffsetZero, String backend, boolean epollEventAsExpected) {

    /** uv_handle_get_data / uv_handle_set_data appeared in 1.34.0. */
    static final int MIN_VERSION = 1 << 16 | 34 << 8;
    private static final long MIN_LOOP_SIZE = 256;
    private static final long MAX_LOOP_SIZE = 64 * 1024;
    private static final long MIN_HANDLE_SIZE = 64;
    private static final long MAX_HANDLE_SIZE = 4096;
    private static final long DATA_PROBE_1 = 0x5EED_0001_CAFE_F00DL;
    private static final long DATA_PROBE_2 = 0x0DD5_EED5_1234_5678L;

    /** Asks the library. Touches native memory only once the sizes it reports are plausible. */
    static LibuvLayout read(Libuv uv, Libc libc) {
        int version = uv.uv_version();
        String versionString = uv.uv_version_string();
        int addressSize = uv.addressSize();
        long loopSize = uv.uv_loop_size();
        long pollSize = uv.uv_handle_size(Libuv.UV_POLL);
        long timerSize = uv.uv_handle_size(Libuv.UV_TIMER);
        long asyncSize = uv.uv_handle_size(Libuv.UV_ASYNC);
        LibuvLayout sizesOnly = new LibuvLayout(version, versionString, addressSize, loopSize, pollSize,
            timerSize, asyncSize, uv.uv_handle_type_name(Libuv.UV_POLL), uv.uv_handle_type_name(Libuv.UV_TIMER),
            uv.uv_handle_type_name(Libuv.UV_ASYNC), true, "epoll", true);
        if (sizesOnly.problem() != null) {
            return sizesOnly.withProbes(false, "not probed", false);
        }
        boolean dataAtZero = probeDataOffset(uv, timerSize);
        if (!dataAtZero) {
            return sizesOnly.withProbes(false, "not probed", false);
        }
        return sizesOnly.withProbes(true, probeBackend(uv, loopSize), probeEpollEvent(uv.memory(), libc));
    }

    private LibuvLayout withProbes(boolean dataAtZero, String backendName, boolean epollEvent) {
        return new LibuvLayout(version, versionString, addressSize, loopSize, pollSize, timerSize, asyncSize,
            pollTypeName, timerTypeName, asyncTypeName, dataAtZero, backendName, epollEvent);
    }

    /** Writes through libuv and reads raw, then the other way round, on a zeroed block of handle size. */
    private static boolean probeDataOffset(Libuv uv, long handleSize) {
        NativeAccess io = uv.memory();
        long h = io.allocate("libuv layout probe", handleSize);
        try {
            uv.uv_handle_set_data(h, DATA_PROBE_1);
            boolean written = io.getLong(h) == DATA_PROBE_1;
            io.putLong(h, DATA_PROBE_2);
            return written && uv.uv_handle_get_data(h) == DATA_PROBE_2;
        } finally {
            io.free(h);
        }
    }

    /** Initialises a scratch loop and names the kind of descriptor its backend is. */
    private static String probeBackend(Libuv uv, long loopSize) {
        NativeAccess io = uv.memory();
        long loop = io.allocate("libuv layout probe", loopSize);
        int rc = uv.uv_loop_init(loop);
        if (rc != 0) {
            io.free(loop);
            return "none: uv_loop_init failed with " + uv.uv_err_name(rc);
        }
        try {
            int fd = uv.uv_backend_fd(loop);
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            // epoll descriptors are anonymous inodes (fs/eventpoll.c: anon_inode_getfile("[eventpoll]")).
            return target.equals("anon_inode:[eventpoll]") ? "epoll" : target;
        } catch (IOException | RuntimeException e) {
            return "unknown (" + e + ")";
        } finally {
            if (uv.uv_loop_close(loop) == 0) {
                io.free(loop);
            }
        }
    }

    /**
     * Registers two pipes in a scratch epoll set the way {@link EpollSet} registers descriptors,
     * makes both readable, and checks where epoll_wait puts the two events: their stride tells the
     * struct's size (12 bytes packed, 16 aligned), which fixes where data is. A round trip of one
     * event could not tell: the kernel writes back whatever layout it read.
     */
    private static boolean probeEpollEvent(NativeAccess io, Libc libc) {
        int offset = EpollSet.epollDataOffset();
        int stride = offset == 4 ? 12 : 16;
        int epfd = libc.epoll_create1(Libc.O_CLOEXEC);
        int[] a = {-1, -1};
        int[] b = {-1, -1};
        // 64 bytes of events, then two ints for pipe2 and the byte written into the pipes.
        long events = io.allocate("libuv layout probe", 80);
        long scratch = events + 64;
        try {
            if (epfd < 0 || !pipe(io, libc, scratch, a) || !pipe(io, libc, scratch, b)) {
                return false;
            }
            for (int[] pipe : new int[][] {a, b}) {
                io.putInt(events, Libc.EPOLLIN);
                io.putInt(events + offset, 1000 + pipe[0]); // data.fd, as PollTable writes it
                io.putInt(events + offset + 4, 0);
                io.putInt(scratch + 8, 1);
                if (libc.epoll_ctl(epfd, Libc.EPOLL_CTL_ADD, pipe[0], events) != 0 || libc.write(pipe[1], scratch + 8, 1) != 1) {
                    return false;
                }
            }
            io.setMemory(events, 64, (byte) 0);
            if (libc.epoll_wait(epfd, events, 2, 0) != 2) {
                return false;
            }
            int seen = 0;
            for (int i = 0; i < 2; i++) {
                int data = io.getInt(events + (long) i * stride + offset);
                seen += data == 1000 + a[0] ? 1 : data == 1000 + b[0] ? 2 : 4;
                if (io.getInt(events + (long) i * stride) != Libc.EPOLLIN) {
                    return false;
                }
            }
            return seen == 3;
        } finally {
            io.free(events);
            for (int fd : new int[] {a[0], a[1], b[0], b[1], epfd}) {
                if (fd >= 0) {
                    libc.close(fd);
                }
            }
        }
    }

    /** pipe2 through {@code scratch} into {@code fds}. */
    private static boolean pipe(NativeAccess io, Libc libc, long scratch, int[] fds) {
        if (libc.pipe2(scratch, Libc.O_CLOEXEC) != 0) {
            return false;
        }
        fds[0] = io.getInt(scratch);
        fds[1] = io.getInt(scratch + 4);
        return true;
    }

    /** Why the loop cannot use this library, or null when it can. Pure: no native call. */
    String problem() {
        if (version < MIN_VERSION || version >>> 16 != 1) {
            return "libuv " + versionName() + " is not supported: gevent4j needs libuv 1.34 or later (1.x)";
        }
        if (addressSize != 8) {
            return "gevent4j's libuv binding needs 64-bit pointers, this JVM has " + addressSize + "-byte ones";
        }
        if (loopSize < MIN_LOOP_SIZE || loopSize > MAX_LOOP_SIZE) {
            return "uv_loop_size() returned " + loopSize + ", outside [" + MIN_LOOP_SIZE + ", " + MAX_LOOP_SIZE + "]";
        }
        String handles = checkHandle("poll", pollSize, pollTypeName);
        handles = handles != null ? handles : checkHandle("timer", timerSize, timerTypeName);
        handles = handles != null ? handles : checkHandle("async", asyncSize, asyncTypeName);
        if (handles != null) {
            return handles;
        }
        if (!dataAtOffsetZero) {
            return "uv_handle_t.data is not at offset 0 (uv_handle_set_data/uv_handle_get_data round trip failed)";
        }
        if (!"epoll".equals(backend)) {
            return "the loop's backend is " + backend + "; gevent4j's libuv loop needs epoll (Linux)";
        }
        if (!epollEventAsExpected) {
            return "struct epoll_event is not laid out as gevent4j expects on " + System.getProperty("os.arch")
                + " (data at offset " + EpollSet.epollDataOffset() + ")";
        }
        return null;
    }

    private static String checkHandle(String name, long size, String typeName) {
        if (!name.equals(typeName)) {
            return "uv_handle_type_name() of gevent4j's UV_" + name.toUpperCase(java.util.Locale.ROOT) + " is "
                + typeName + ": the handle type numbering differs";
        }
        if (size < MIN_HANDLE_SIZE || size > MAX_HANDLE_SIZE) {
            return "uv_handle_size(UV_" + name.toUpperCase(java.util.Locale.ROOT) + ") returned " + size
                + ", outside [" + MIN_HANDLE_SIZE + ", " + MAX_HANDLE_SIZE + "]";
        }
        return null;
    }

    String versionName() {
        return (version >>> 16) + "." + (version >>> 8 & 0xff) + "." + (version & 0xff);
    }
}

package gevent4j.loops.jdk;

import gevent4j.loop.NativeAllocations;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The JDK's own epoll and eventfd natives ({@code sun.nio.ch.EPoll}, {@code sun.nio.ch.EventFD}),
 * which every JDK on Linux ships in libnio. A {@link java.nio.channels.Selector} cannot watch a raw
 * descriptor, and {@code Poller.poll} hands the Hub raw descriptors, so the embedded loop drives
 * epoll directly. Resolved once; {@link #unavailabilityCause()} says why when they are missing.
 */
final class EpollNatives {

    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLL_CTL_DEL = 2;
    static final int EPOLL_CTL_MOD = 3;
    static final int EPOLLIN = 0x001;
    static final int EPOLLPRI = 0x002;
    static final int EPOLLOUT = 0x004;
    static final int EPOLLERR = 0x008;
    static final int EPOLLHUP = 0x010;
    static final int EPOLLRDHUP = 0x2000;

    static final int ENOENT = 2;
    static final int EBADF = 9;
    static final int EEXIST = 17;
    static final int EPERM = 1;

    private static final MethodHandle CREATE;
    private static final MethodHandle CTL;
    private static final MethodHandle WAIT;
    private static final MethodHandle ALLOCATE;
    private static final MethodHandle FREE;
    private static final MethodHandle GET_EVENT;
    private static final MethodHandle GET_DESCRIPTOR;
    private static final MethodHandle GET_EVENTS;
    private static final MethodHandle NEW_EVENTFD;
    private static final MethodHandle EVENTFD_FD;
    private static final MethodHandle EVENTFD_SET;
    private static final MethodHandle EVENTFD_RESET;
    private static final MethodHandle EVENTFD_CLOSE;
    private static final MethodHandle CLOSE_INT_FD;
    private static final Throwable UNAVAILABILITY_CAUSE;

    static {
        MethodHandle create = null, ctl = null, wait = null, allocate = null, free = null, getEvent = null,
            getDescriptor = null, getEvents = null, newEventFd = null, eventFdFd = null, eventFdSet = null,
            eventFdReset = null, eventFdClose = null, closeIntFd = null;
        Throwable cause = null;
        try {
            if (!System.getProperty("os.name", "").startsWith("Linux")) {
                throw new UnsupportedOperationException("the jdk loop uses epoll, which only Linux has (this is "
                    + System.getProperty("os.name") + ")");
            }
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            Class<?> epoll = Class.forName("sun.nio.ch.EPoll");
            MethodHandles.Lookup l = MethodHandles.privateLookupIn(epoll, lookup);
            create = l.findStatic(epoll, "create", MethodType.methodType(int.class));
            ctl = l.findStatic(epoll, "ctl", MethodType.methodType(int.class, int.class, int.class, int.class, int.class));
            wait = l.findStatic(epoll, "wait", MethodType.methodType(int.class, int.class, long.class, int.class, int.class));
            allocate = l.findStatic(epoll, "allocatePollArray", MethodType.methodType(long.class, int.class));
            free = l.findStatic(epoll, "freePollArray", MethodType.methodType(void.class, long.class));
            getEvent = l.findStatic(epoll, "getEvent", MethodType.methodType(long.class, long.class, int.class));
            getDescriptor = l.findStatic(epoll, "getDescriptor", MethodType.methodType(int.class, long.class));
            getEvents = l.findStatic(epoll, "getEvents", MethodType.methodType(int.class, long.class));

            Class<?> eventFd = Class.forName("sun.nio.ch.EventFD");
            MethodHandles.Lookup e = MethodHandles.privateLookupIn(eventFd, lookup);
            newEventFd = e.findConstructor(eventFd, MethodType.methodType(void.class)).asType(MethodType.methodType(Object.class));
            eventFdFd = e.findVirtual(eventFd, "efd", MethodType.methodType(int.class)).asType(MethodType.methodType(int.class, Object.class));
            eventFdSet = e.findVirtual(eventFd, "set", MethodType.methodType(void.class)).asType(MethodType.methodType(void.class, Object.class));
            eventFdReset = e.findVirtual(eventFd, "reset", MethodType.methodType(void.class)).asType(MethodType.methodType(void.class, Object.class));
            eventFdClose = e.findVirtual(eventFd, "close", MethodType.methodType(void.class)).asType(MethodType.methodType(void.class, Object.class));

            Class<?> dispatcher = Class.forName("sun.nio.ch.FileDispatcherImpl");
            closeIntFd = MethodHandles.privateLookupIn(dispatcher, lookup)
                .findStatic(dispatcher, "closeIntFD", MethodType.methodType(void.class, int.class));
        } catch (Throwable t) {
            cause = t;
        }
        CREATE = create;
        CTL = ctl;
        WAIT = wait;
        ALLOCATE = allocate;
        FREE = free;
        GET_EVENT = getEvent;
        GET_DESCRIPTOR = getDescriptor;
        GET_EVENTS = getEvents;
        NEW_EVENTFD = newEventFd;
        EVENTFD_FD = eventFdFd;
        EVENTFD_SET = eventFdSet;
        EVENTFD_RESET = eventFdReset;
        EVENTFD_CLOSE = eventFdClose;
        CLOSE_INT_FD = closeIntFd;
        UNAVAILABILITY_CAUSE = cause;
    }

    private EpollNatives() {
    }

    static Throwable unavailabilityCause() {
        return UNAVAILABILITY_CAUSE;
    }

    static int create() throws IOException {
        try {
            return (int) CREATE.invokeExact();
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Returns 0 or an errno (the JDK's native returns errno instead of throwing). */
    static int ctl(int epfd, int op, int fd, int events) {
        try {
            return (int) CTL.invokeExact(epfd, op, fd, events);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** epoll_wait; the JDK's native retries EINTR itself only for infinite waits, so 0 may also mean EINTR. */
    static int wait(int epfd, long events, int maxEvents, int timeoutMillis) throws IOException {
        try {
            return (int) WAIT.invokeExact(epfd, events, maxEvents, timeoutMillis);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** A poll array of {@code count} epoll_events (the JDK's EPoll.allocatePollArray), accounted for trace_malloc. */
    static long allocate(int count) {
        long address;
        try {
            address = (long) ALLOCATE.invokeExact(count);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        // The JDK's own slot size (sizeof(struct epoll_event) for this platform), by its own arithmetic.
        long slot;
        try {
            slot = count > 1 ? (long) GET_EVENT.invokeExact(address, 1) - address : 16;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        NativeAllocations.allocated("epoll_event array", address, slot * count);
        return address;
    }

    static void free(long address) {
        NativeAllocations.freed(address);
        try {
            FREE.invokeExact(address);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int descriptor(long events, int i) {
        try {
            return (int) GET_DESCRIPTOR.invokeExact((long) GET_EVENT.invokeExact(events, i));
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int events(long events, int i) {
        try {
            return (int) GET_EVENTS.invokeExact((long) GET_EVENT.invokeExact(events, i));
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static Object newEventFd() throws IOException {
        try {
            return (Object) NEW_EVENTFD.invokeExact();
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static int eventFdDescriptor(Object eventFd) {
        try {
            return (int) EVENTFD_FD.invokeExact(eventFd);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static void eventFdSet(Object eventFd) throws IOException {
        invokeIo(EVENTFD_SET, eventFd);
    }

    static void eventFdReset(Object eventFd) throws IOException {
        invokeIo(EVENTFD_RESET, eventFd);
    }

    static void eventFdClose(Object eventFd) throws IOException {
        invokeIo(EVENTFD_CLOSE, eventFd);
    }

    static void close(int fd) throws IOException {
        try {
            CLOSE_INT_FD.invokeExact(fd);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static void invokeIo(MethodHandle handle, Object eventFd) throws IOException {
        try {
            handle.invokeExact(eventFd);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static String errnoName(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case EBADF -> "EBADF";
            case EEXIST -> "EEXIST";
            case 12 -> "ENOMEM";
            case 22 -> "EINVAL";
            case 28 -> "ENOSPC";
            default -> "errno " + errno;
        };
    }
}

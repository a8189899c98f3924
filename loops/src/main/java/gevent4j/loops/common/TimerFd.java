package gevent4j.loops.common;

/**
 * A Linux {@code timerfd} that ends a loop's wait at a nanosecond deadline: the loop watches its
 * descriptor for reading like any other, and it becomes readable when the deadline passes.
 *
 * <p>Why: a loop's blocking call takes its timeout in whole milliseconds ({@code epoll_wait}, and
 * libev and libuv round up to them), so a timer due in 10.2 ms fires after 11 ms. A timerfd's
 * expiry is an hrtimer with no slack, so the wait ends within microseconds of the due time. It
 * costs one {@code timerfd_settime} when the earliest deadline moves earlier or after the timerfd
 * fired, and nothing otherwise: an armed expiry earlier than the new deadline is left alone (it ends
 * the wait early, and the loop, which fires timers by its own clock, simply waits again).
 *
 * <p>Readiness is cleared without a {@code read}: re-arming or disarming ({@code timerfd_settime})
 * resets the expiration count, and the loop re-arms or {@link #disarm()}s before every blocking wait
 * after an expiry ({@link #expired()}). Owner thread only.
 */
public final class TimerFd {

    /** The system calls a timerfd needs, as each loop's binding (JNR or FFM) makes them. */
    public interface Syscalls {
        /** {@code timerfd_create(clockid, flags)}: a descriptor, or -1. */
        int timerfd_create(int clockid, int flags);

        /** {@code timerfd_settime(fd, flags, new_value, old_value)}: 0, or -1. */
        int timerfd_settime(int fd, int flags, long newValue, long oldValue);

        int close(int fd);
    }

    /** System.nanoTime() on Linux is CLOCK_MONOTONIC; a relative expiry does not depend on that. */
    private static final int CLOCK_MONOTONIC = 1;
    private static final int TFD_NONBLOCK = 0x800;
    private static final int TFD_CLOEXEC = 0x80000;
    /** struct itimerspec: it_interval then it_value, each {tv_sec, tv_nsec} as two longs (LP64). */
    private static final int ITIMERSPEC_SIZE = 32;
    private static final int IT_VALUE_SEC = 16;
    private static final int IT_VALUE_NSEC = 24;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final Syscalls sys;
    private final NativeAccess mem;
    private final int fd;
    /** The itimerspec passed to timerfd_settime; its interval stays zero (one-shot). */
    private final long spec;
    /** The deadline (System.nanoTime()) armed in the kernel and not yet reported; false when disarmed. */
    private boolean armed;
    private long armedFor;
    /** The timerfd expired (reported readable) and was not re-armed or disarmed since: still readable. */
    private boolean readable;
    private long settimeCalls;

    private TimerFd(Syscalls sys, NativeAccess mem, int fd, long spec) {
        this.sys = sys;
        this.mem = mem;
        this.fd = fd;
        this.spec = spec;
    }

    /**
     * A new disarmed timerfd, or null when the kernel refuses one (too old, a seccomp filter, the
     * descriptor limit): the loop then keeps its millisecond timeouts.
     */
    public static TimerFd open(Syscalls sys, NativeAccess mem) {
        int fd = sys.timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
        if (fd < 0) {
            return null;
        }
        long spec = mem.allocate("timerfd itimerspec", ITIMERSPEC_SIZE);
        mem.setMemory(spec, ITIMERSPEC_SIZE, (byte) 0);
        return new TimerFd(sys, mem, fd, spec);
    }

    /** The descriptor to watch for reading. */
    public int fd() {
        return fd;
    }

    /**
     * Makes the descriptor readable at {@code due} ({@link System#nanoTime()} time) or earlier,
     * never later. An expiry already armed no later than {@code due} is kept.
     */
    public void wakeAt(long due) {
        if (armed && armedFor - due <= 0) {
            return;
        }
        // Relative to a clock reading taken before the call: the expiry cannot come before `due`.
        long delay = Math.max(1L, due - System.nanoTime()); // an it_value of zero would disarm
        set(delay);
        armed = true;
        armedFor = due;
        readable = false;
    }

    /** Called when the loop saw the descriptor readable: the armed expiry is spent. */
    public void expired() {
        armed = false;
        readable = true;
    }

    /**
     * Before a wait with no deadline: clears a readiness left by an expiry, which would otherwise end
     * every wait at once. An expiry still armed is left alone; it costs at most one early wake-up.
     */
    public void disarmIfReadable() {
        if (readable) {
            disarm();
        }
    }

    /** Disarms the timer and clears its readiness. */
    public void disarm() {
        set(0L);
        armed = false;
        readable = false;
    }

    /** timerfd_settime calls made so far (tests and diagnostics). */
    public long settimeCalls() {
        return settimeCalls;
    }

    private void set(long delayNanos) {
        mem.putLong(spec + IT_VALUE_SEC, delayNanos / NANOS_PER_SECOND);
        mem.putLong(spec + IT_VALUE_NSEC, delayNanos % NANOS_PER_SECOND);
        settimeCalls++;
        if (sys.timerfd_settime(fd, 0, spec, 0L) != 0) {
            // Only EBADF/EFAULT/EINVAL are possible here, none with a valid descriptor and struct.
            throw new IllegalStateException("timerfd_settime(" + fd + ") failed");
        }
    }

    /** Closes the descriptor and frees the struct; after the loop stopped watching it. */
    public void close() {
        sys.close(fd);
        mem.free(spec);
    }

    @Override
    public String toString() {
        return "timerfd " + fd + (armed ? " armed, due in " + (armedFor - System.nanoTime()) / 1000 + " us"
            : readable ? " expired" : " disarmed");
    }
}

package gevent4j.loops.libev;

import gevent4j.loops.common.NativeAccess;
import gevent4j.loops.ffi.NativeLibraryUnavailableException;
import java.util.ArrayList;
import java.util.List;

/**
 * Confirms a {@link LibevLayout} against the loaded library by watching what libev itself writes,
 * on a private loop, once per process. Runs only for a version the layout table admits, and every
 * watcher it hands to libev sits in a block of {@link #BLOCK} bytes (far more than any 4.x watcher)
 * whose tail past the assumed size holds a guard pattern: were the assumed size too small, libev's
 * writes would land in the guard, which is checked, and never in foreign memory.
 *
 * <p>What is checked: {@code ev_timer_start} marks {@code active} and turns {@code at} (written
 * relative) into an absolute time that {@code ev_timer_remaining} reads back; {@code ev_io_start}
 * clears {@code EV__IOFDSET} from {@code events} and a readable pipe calls the callback with the
 * watcher's address and EV_READ; {@code ev_async_send} sets {@code sent}, the callback receives
 * EV_ASYNC and libev clears it again; every stop clears {@code active}; {@code data} and the
 * callback pointer are never touched by libev; nothing is written past the assumed sizes. The
 * callback is one of the binding's upcalls, so the check also proves the binding's callback path.
 */
final class LibevLayoutCheck implements LibevBinding.EvCallback {

    private static final int BLOCK = 128;
    private static final byte GUARD = (byte) 0xA5;
    private static final long DATA_MARK = 0x5eed_0000_0000_0001L;

    private final LibevBinding ev;
    private final NativeAccess mem;
    private final LibevLayout layout;
    private final List<String> failures = new ArrayList<>();
    private long calledWith;
    private int calledRevents;
    private int calls;

    private LibevLayoutCheck(LibevBinding ev, LibevLayout layout) {
        this.ev = ev;
        this.mem = ev.memory();
        this.layout = layout;
    }

    @Override
    public void invoke(long loop, long watcher, int revents) {
        // Plain field writes cannot throw; an upcall must never let anything unwind into libev.
        calls++;
        calledWith = watcher;
        calledRevents = revents;
    }

    /** Returns libev's default backend on success. */
    static int verify(LibevBinding ev, LibevLayout layout, String version) throws NativeLibraryUnavailableException {
        LibevLayoutCheck check = new LibevLayoutCheck(ev, layout);
        long loop = ev.ev_loop_new(LibevLibrary.LOOP_FLAGS);
        if (loop == 0) {
            throw new NativeLibraryUnavailableException("libev " + version + ": ev_loop_new failed with every "
                + "recommended backend (" + LibevBackends.names(ev.ev_recommended_backends()) + ")");
        }
        int backend = ev.ev_backend(loop);
        LibevBinding.Upcalls upcalls = ev.newUpcalls();
        try {
            long cb = upcalls.pointer(check);
            check.timer(loop, cb);
            check.io(loop, cb);
            check.async(loop, cb);
        } finally {
            ev.ev_loop_destroy(loop);
            upcalls.close();
        }
        if (!check.failures.isEmpty()) {
            throw new NativeLibraryUnavailableException("libev " + version + " does not match the struct layout "
                + "gevent4j verified for it (" + String.join("; ", check.failures) + "), so the " + ev.loopName() + " loop is not "
                + "used; install the distribution's libev with 'apt-get install " + LibevLibrary.LIBEV.debianPackage()
                + "' or choose another loop");
        }
        return backend;
    }

    private long block(long cb, long data, int size) {
        long w = mem.allocate("libev layout probe", BLOCK);
        mem.setMemory(w + size, BLOCK - size, GUARD);
        mem.putLong(w + layout.cb(), cb);
        mem.putLong(w + layout.data(), data);
        return w;
    }

    private void expect(boolean condition, String what) {
        if (!condition) {
            failures.add(what);
        }
    }

    private void expectIntact(long w, long cb, long data, int size, String kind) {
        expect(mem.getLong(w + layout.cb()) == cb && mem.getLong(w + layout.data()) == data,
            kind + ": libev changed data or cb");
        for (int i = size; i < BLOCK; i++) {
            if (mem.getByte(w + i) != GUARD) {
                failures.add(kind + ": libev wrote at byte " + i + ", past the assumed size " + size);
                return;
            }
        }
    }

    private void timer(long loop, long cb) {
        long w = block(cb, DATA_MARK, layout.timerSize());
        try {
            mem.putDouble(w + layout.timerAt(), 3600.0);
            mem.putDouble(w + layout.timerRepeat(), 0.0);
            ev.ev_timer_start(loop, w);
            expect(mem.getInt(w + layout.active()) > 0, "ev_timer: active not set by ev_timer_start");
            double remaining = ev.ev_timer_remaining(loop, w);
            // at = now + 3600 and remaining = at - now in libev's doubles: rounding can leave a few
            // ulps above 3600 (3600.000000000002 was seen), so allow a millisecond either way.
            expect(remaining > 3590.0 && remaining <= 3600.001, "ev_timer: at/remaining mismatch (" + remaining + ")");
            expect(mem.getInt(w + layout.priority()) == 0, "ev_timer: priority changed");
            ev.ev_timer_stop(loop, w);
            expect(mem.getInt(w + layout.active()) == 0, "ev_timer: active not cleared by ev_timer_stop");
            expectIntact(w, cb, DATA_MARK, layout.timerSize(), "ev_timer");
        } finally {
            mem.free(w);
        }
    }

    private void io(long loop, long cb) {
        // Two ints for pipe(2), then the byte written into it.
        long scratch = mem.allocate("libev layout probe", 12);
        if (ev.pipe(scratch) != 0) {
            mem.free(scratch);
            failures.add("pipe() failed: cannot check ev_io");
            return;
        }
        int[] fds = {mem.getInt(scratch), mem.getInt(scratch + 4)};
        long w = block(cb, DATA_MARK + 1, layout.ioSize());
        try {
            mem.putInt(scratch + 8, 1);
            ev.write(fds[1], scratch + 8, 1);
            mem.putInt(w + layout.ioFd(), fds[0]);
            mem.putInt(w + layout.ioEvents(), LibevLibrary.EV_READ | LibevLibrary.EV__IOFDSET);
            ev.ev_io_start(loop, w);
            expect(mem.getInt(w + layout.active()) == 1, "ev_io: active not set by ev_io_start");
            expect(mem.getInt(w + layout.ioEvents()) == LibevLibrary.EV_READ,
                "ev_io: events/EV__IOFDSET not where expected");
            calls = 0;
            ev.ev_run(loop, LibevLibrary.EVRUN_NOWAIT);
            expect(calls == 1 && calledWith == w && calledRevents == LibevLibrary.EV_READ,
                "ev_io: a readable pipe gave " + calls + " calls, revents " + calledRevents);
            ev.ev_io_stop(loop, w);
            expect(mem.getInt(w + layout.active()) == 0, "ev_io: active not cleared by ev_io_stop");
            expect(mem.getInt(w + layout.ioFd()) == fds[0], "ev_io: fd changed");
            expectIntact(w, cb, DATA_MARK + 1, layout.ioSize(), "ev_io");
        } finally {
            mem.free(w);
            mem.free(scratch);
            ev.close(fds[0]);
            ev.close(fds[1]);
        }
    }

    private void async(long loop, long cb) {
        long w = block(cb, DATA_MARK + 2, layout.asyncSize());
        try {
            ev.ev_async_start(loop, w);
            expect(mem.getInt(w + layout.active()) > 0, "ev_async: active not set by ev_async_start");
            expect(mem.getInt(w + layout.asyncSent()) == 0, "ev_async: sent not cleared by ev_async_start");
            ev.ev_async_send(loop, w);
            expect(mem.getInt(w + layout.asyncSent()) == 1, "ev_async: sent not set by ev_async_send");
            calls = 0;
            ev.ev_run(loop, LibevLibrary.EVRUN_NOWAIT);
            expect(calls == 1 && calledWith == w && calledRevents == LibevLibrary.EV_ASYNC,
                "ev_async: a send gave " + calls + " calls, revents " + calledRevents);
            expect(mem.getInt(w + layout.asyncSent()) == 0, "ev_async: sent not cleared after the callback");
            ev.ev_async_stop(loop, w);
            expect(mem.getInt(w + layout.active()) == 0, "ev_async: active not cleared by ev_async_stop");
            expectIntact(w, cb, DATA_MARK + 2, layout.asyncSize(), "ev_async");
        } finally {
            mem.free(w);
        }
    }
}

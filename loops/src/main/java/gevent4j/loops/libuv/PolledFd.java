package gevent4j.loops.libuv;

import gevent4j.loops.common.MultiplexedIoWatcher;
import java.util.Arrays;

/**
 * One descriptor: its io watchers, the kernel registration they share (the union of their masks) and
 * the poll handle through which libuv reports it.
 */
final class PolledFd {

    final int fd;
    MultiplexedIoWatcher[] watchers = new MultiplexedIoWatcher[2];
    int count;
    /** Bound while the descriptor is registered, null otherwise. */
    LibuvPollHandle handle;
    /** The {@code uv_poll_event} mask registered in the kernel: 0 for none, -1 when unknown. */
    int registered;
    /** Queued for the deferred changes applied before the next {@code uv_run}. */
    boolean dirty;

    PolledFd(int fd) {
        this.fd = fd;
    }

    void add(MultiplexedIoWatcher w) {
        if (count == watchers.length) {
            watchers = Arrays.copyOf(watchers, count * 2);
        }
        watchers[count] = w;
        w.slot = count;
        count++;
    }

    void remove(MultiplexedIoWatcher w) {
        int i = w.slot;
        if (i < 0 || i >= count || watchers[i] != w) {
            return;
        }
        count--;
        MultiplexedIoWatcher last = watchers[count];
        watchers[i] = last;
        last.slot = i;
        watchers[count] = null;
        w.slot = -1;
    }

    /** The {@code uv_poll_event} mask the current watchers need. */
    int wanted() {
        return PollTable.wanted(watchers, count);
    }
}

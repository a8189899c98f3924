package gevent4j.loops.libuv;

import java.util.Arrays;

/**
 * One descriptor: its io watchers and the {@code uv_poll_t} they share (libuv allows one poll
 * handle per descriptor; {@code uv_poll_init} on a second one returns {@code UV_EEXIST}). The
 * handle is started with the union of the watchers' masks.
 */
final class LibuvPoll {

    final int fd;
    LibuvIoWatcher[] watchers = new LibuvIoWatcher[2];
    int count;
    /** The {@code uv_poll_t*}, or 0 while the descriptor has none (never opened, or closed). */
    long handle;
    /** The {@code uv_poll_event} mask the handle is started with; 0 when stopped. */
    int started;
    /** Queued for the flush before the next {@code uv_run}. */
    boolean dirty;

    LibuvPoll(int fd) {
        this.fd = fd;
    }

    void add(LibuvIoWatcher w) {
        if (count == watchers.length) {
            watchers = Arrays.copyOf(watchers, count * 2);
        }
        watchers[count] = w;
        w.slot = count;
        count++;
    }

    void remove(LibuvIoWatcher w) {
        int i = w.slot;
        if (i < 0 || i >= count || watchers[i] != w) {
            return;
        }
        count--;
        LibuvIoWatcher last = watchers[count];
        watchers[i] = last;
        last.slot = i;
        watchers[count] = null;
        w.slot = -1;
    }

    /** The {@code uv_poll_event} mask the current watchers need. */
    int wanted() {
        int events = 0;
        for (int i = 0; i < count; i++) {
            events |= watchers[i].events();
        }
        return PollTable.toUv(events);
    }
}

package gevent4j.loops.libev;

import gevent4j.loops.common.MultiplexedIoWatcher;
import java.util.Arrays;

/**
 * One descriptor number: its watchers, and the loop's single native {@code ev_io} for it, whose
 * mask is the union of theirs. The native watcher is allocated the first time the number is
 * registered and reused for every later file that gets the same number; the loop frees it in
 * {@code destroy()}, so libev never holds memory that Java has released.
 */
final class LibevFd {

    final int fd;
    MultiplexedIoWatcher[] watchers = new MultiplexedIoWatcher[2];
    int count;
    /** Address of the native ev_io, 0 until first needed. */
    long io;
    /** The mask the native ev_io is started with in libev; 0 when it is stopped. */
    int nativeEvents;
    /**
     * libev's registration of this number may be trusted to refer to the file now open under it.
     * False at first and after every close we hear of: the next start then ORs in EV__IOFDSET, so
     * that libev re-registers the number with the kernel even if the mask did not change.
     */
    boolean trusted;
    /** The descriptor's type was checked (statx) since the number was last closed. */
    boolean checked;
    /** Queued for the flush before the next poll. */
    boolean dirty;

    LibevFd(int fd) {
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

    /** The events the current watchers need (Loop.READ/WRITE, which equal EV_READ/EV_WRITE). */
    int wantedEvents() {
        int events = 0;
        for (int i = 0; i < count; i++) {
            events |= watchers[i].events();
        }
        return events;
    }
}

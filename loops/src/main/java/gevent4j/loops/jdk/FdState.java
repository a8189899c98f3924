package gevent4j.loops.jdk;

import gevent4j.loops.common.MultiplexedIoWatcher;
import java.util.Arrays;

/**
 * The watchers of one descriptor and what the kernel currently has registered for it. Several
 * watchers share one epoll registration whose mask is the union of theirs.
 */
final class FdState {

    final int fd;
    MultiplexedIoWatcher[] watchers = new MultiplexedIoWatcher[2];
    int count;
    /** The epoll mask registered in the kernel, 0 when not registered. */
    int kernelMask;
    /** The loop's close epoch when the registration was last confirmed (see JdkLoop#closeEpoch). */
    int epoch;
    /** Queued for a deferred epoll_ctl at the next poll. */
    boolean dirty;

    FdState(int fd) {
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

    /** The epoll mask the current watchers need. */
    int wantedMask() {
        int events = 0;
        for (int i = 0; i < count; i++) {
            events |= watchers[i].events();
        }
        return JdkLoop.toEpoll(events);
    }
}

package gevent4j.loops.common;

import java.util.Arrays;

/**
 * The io watchers of one descriptor number, which every loop multiplexes over one kernel
 * registration whose mask is the union of theirs. Each loop extends it with what it tracks of that
 * registration. Removal swaps the last watcher into the freed slot, so dispatch walks the array
 * from the end (a callback that stops its own watcher moves an already visited one).
 */
public abstract class DescriptorWatchers {

    public final int fd;
    public MultiplexedIoWatcher[] watchers = new MultiplexedIoWatcher[2];
    public int count;

    protected DescriptorWatchers(int fd) {
        this.fd = fd;
    }

    public final void add(MultiplexedIoWatcher w) {
        if (count == watchers.length) {
            watchers = Arrays.copyOf(watchers, count * 2);
        }
        watchers[count] = w;
        w.slot = count;
        count++;
    }

    public final void remove(MultiplexedIoWatcher w) {
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

    /** The union of the current watchers' {@code Loop.READ}/{@code WRITE} events. */
    public final int wantedEvents() {
        int events = 0;
        for (int i = 0; i < count; i++) {
            events |= watchers[i].events();
        }
        return events;
    }
}

package gevent4j.loops.libuv;

import gevent4j.loops.common.DescriptorWatchers;

/**
 * One descriptor: its io watchers, the kernel registration they share (the union of their masks) and
 * the poll handle through which libuv reports it.
 */
final class PolledFd extends DescriptorWatchers {

    /** Bound while the descriptor is registered, null otherwise. */
    LibuvPollHandle handle;
    /** The {@code uv_poll_event} mask registered in the kernel: 0 for none, -1 when unknown. */
    int registered;
    /** Queued for the deferred changes applied before the next {@code uv_run}. */
    boolean dirty;

    PolledFd(int fd) {
        super(fd);
    }

    /** The {@code uv_poll_event} mask the current watchers need. */
    int wanted() {
        return PollTable.toUv(wantedEvents());
    }
}

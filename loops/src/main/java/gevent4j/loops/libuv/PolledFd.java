package gevent4j.loops.libuv;

import gevent4j.loops.common.DescriptorWatchers;

/** One descriptor: its io watchers and the registration in the nested epoll set they share (the union of their masks). */
final class PolledFd extends DescriptorWatchers {

    /** The epoll mask registered in the nested set: 0 for none, -1 when unknown. */
    int registered;
    /** Queued for the deferred changes applied before the next poll. */
    boolean dirty;

    PolledFd(int fd) {
        super(fd);
    }

    /** The epoll mask the current watchers need. */
    int wantedMask() {
        return PollTable.toEpoll(wantedEvents());
    }
}

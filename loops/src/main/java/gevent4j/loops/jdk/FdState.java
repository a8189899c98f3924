package gevent4j.loops.jdk;

import gevent4j.loops.common.DescriptorWatchers;

/**
 * The watchers of one descriptor and what the kernel currently has registered for it. Several
 * watchers share one epoll registration whose mask is the union of theirs.
 */
final class FdState extends DescriptorWatchers {

    /** The epoll mask registered in the kernel, 0 when not registered. */
    int kernelMask;
    /** The loop's close epoch when the registration was last confirmed (see JdkLoop#closeEpoch). */
    int epoch;
    /** Queued for a deferred epoll_ctl at the next poll. */
    boolean dirty;

    FdState(int fd) {
        super(fd);
    }

    /** The epoll mask the current watchers need. */
    int wantedMask() {
        return JdkLoop.toEpoll(wantedEvents());
    }
}

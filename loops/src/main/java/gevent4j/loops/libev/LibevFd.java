package gevent4j.loops.libev;

import gevent4j.loops.common.DescriptorWatchers;

/**
 * One descriptor number: its watchers, and the loop's single native {@code ev_io} for it, whose
 * mask is the union of theirs ({@code wantedEvents()}: Loop.READ/WRITE equal EV_READ/EV_WRITE).
 * The native watcher is allocated the first time the number is registered and reused for every later file that gets the same number; the loop frees it in
 * {@code destroy()}, so libev never holds memory that Java has released.
 */
final class LibevFd extends DescriptorWatchers {

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
        super(fd);
    }
}

package gevent4j.loops.libev;

/** The loop conformance suite on libev's poll backend. */
class LibevPollLoopTest extends AbstractLibevLoopTest {

    @Override
    protected String backend() {
        return "poll";
    }

    @Override
    protected String closeDuringBlockingPollIsFatal() {
        return "a descriptor closed by another thread while poll(2) sleeps on it comes back as POLLNVAL when "
            + "the poll wakes, and Debian's libev asserts on that (\"poll found invalid fd in poll set\"): the "
            + "closer must keep the number valid until the loop has let go of it, as the JDK's preClose does";
    }
}

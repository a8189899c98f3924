package gevent4j.loops.libev;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import gevent4j.loop.LoopOptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The loop conformance suite on libev's io_uring backend. Skipped, with a message, only when this
 * libev build lacks io_uring ({@code ev_supported_backends()}). When the build has it but the loop
 * cannot run it (the kernel or a seccomp filter refuses it, or gevent4j refuses libev's io_uring
 * code as known to abort the process) the class fails once, with the loop's explanation.
 */
class LibevIoUringLoopTest extends AbstractLibevLoopTest {

    @BeforeAll
    static void ioUringRuns() {
        LibevLibrary lib = LibevLibrary.defaultProbe().library();
        if (lib == null) {
            return; // a missing libev fails in newLoop() with how to install it
        }
        assumeTrue((lib.supported & LibevBackends.IOURING) != 0,
            "this libev build has no io_uring backend (supported: " + LibevBackends.names(lib.supported) + ")");
        try {
            new LibevLoopProvider().create(new LoopOptions("io_uring", true)).destroy();
        } catch (IllegalArgumentException e) {
            fail("libev has io_uring but the loop cannot run it here: " + e.getMessage(), e);
        }
    }

    @Override
    protected String backend() {
        return "io_uring";
    }
}

package gevent4j.loops.libev;

/** The loop conformance suite on the backend libev picks itself (no {@code libev_backend}). */
class LibevDefaultLoopTest extends AbstractLibevLoopTest {

    @Override
    protected String backend() {
        return null;
    }
}

package gevent4j.loops.libev;

/** The loop conformance suite on libev's select backend. */
class LibevSelectLoopTest extends AbstractLibevLoopTest {

    @Override
    protected String backend() {
        return "select";
    }
}

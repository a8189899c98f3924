package gevent4j;

/**
 * Thrown inside a greenlet that kills itself ({@link Greenlet#kill()} called from its own thread),
 * and the reason a killed greenlet gives when asked. Like gevent's {@code GreenletExit}, it is not
 * an error: a greenlet that ends because it was killed counts as {@linkplain Greenlet#successful()
 * successful}, with a null value.
 */
public class GreenletExit extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public GreenletExit() {
        super("greenlet killed");
    }

    public GreenletExit(String message, Throwable cause) {
        super(message, cause);
    }
}

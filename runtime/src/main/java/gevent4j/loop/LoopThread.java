package gevent4j.loop;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The annotated method MUST be called on the loop's own thread (the Hub thread, or a greenlet
 * mounted on it). Loops are single-threaded: libuv crashes and libev corrupts its state when
 * touched from two threads, so the contract is the same for every loop.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.TYPE})
public @interface LoopThread {
}

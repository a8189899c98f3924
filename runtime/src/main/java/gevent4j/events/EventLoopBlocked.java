package gevent4j.events;

import gevent4j.Greenlet;
import java.time.Duration;
import java.util.List;

/**
 * The monitor thread found the Hub blocked, running one greenlet (or its own code) without a
 * switch for longer than {@code max_blocking_time}. Published once per blocking episode, on the
 * monitor thread, right after the report was printed.
 *
 * @param hub the Hub's thread
 * @param greenlet the greenlet that held the Hub, or null when the Hub's own code did
 * @param blockedThread the thread whose stack was taken: the greenlet's, or the Hub's
 * @param blockedFor how long the Hub had been blocked when the report was made (at least)
 * @param maxBlockingTime the {@code max_blocking_time} in force
 * @param stack the blocked thread's stack at that moment, innermost frame first
 * @param report the text that was printed
 */
public record EventLoopBlocked(Thread hub, Greenlet<?> greenlet, Thread blockedThread, Duration blockedFor,
                               Duration maxBlockingTime, List<StackTraceElement> stack, String report)
        implements RuntimeEvent {
    public EventLoopBlocked {
        stack = List.copyOf(stack);
    }
}

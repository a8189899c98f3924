package gevent4j.patches;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import gevent4j.bootstrap.Bridge;
import java.io.IOException;
import java.util.List;
import java.util.function.BooleanSupplier;
import net.bytebuddy.asm.Advice;

/**
 * {@code sun.nio.ch.Poller}: every blocking socket or channel wait of a virtual thread, and
 * {@code Selector.select} in one, goes through it (checked against JDK 25).
 */
final class PollerPatch {

    private PollerPatch() {
    }

    static Patch patch() {
        String self = PollerPatch.class.getName();
        return new Patch("sun.nio.ch.Poller",
            "socket and channel waits of greenlets wait on the Hub's loop instead of the JDK's poller threads",
            List.of(
                new Patch.Method("static void poll(int fdVal, int event, long nanos, BooleanSupplier isOpen)",
                    named("poll").and(takesArguments(4)), self + "$PollAdvice"),
                new Patch.Method("static void pollSelector(int fdVal, long nanos)",
                    named("pollSelector").and(takesArguments(2)), self + "$PollSelectorAdvice"),
                new Patch.Method("static void stopPoll(int fdVal, int event)",
                    named("stopPoll").and(takesArguments(2)), self + "$StopPollAdvice")));
    }

    /** {@code sun.nio.ch.Poller.poll(IIJLjava/util/function/BooleanSupplier;)V}: wait on the Hub. */
    static final class PollAdvice {
        private PollAdvice() {
        }

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static boolean enter(@Advice.Argument(0) int fd, @Advice.Argument(1) int event,
                             @Advice.Argument(2) long nanos, @Advice.Argument(3) BooleanSupplier isOpen)
                throws IOException {
            return Bridge.poll(fd, event, nanos, isOpen);
        }
    }

    /** {@code sun.nio.ch.Poller.pollSelector(IJ)V}: a Selector's epoll descriptor, waited on by the Hub. */
    static final class PollSelectorAdvice {
        private PollSelectorAdvice() {
        }

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static boolean enter(@Advice.Argument(0) int fd, @Advice.Argument(1) long nanos) throws IOException {
            return Bridge.pollSelector(fd, nanos);
        }
    }

    /**
     * {@code sun.nio.ch.Poller.stopPoll(II)V}: a descriptor is being closed or shut down; the JDK's
     * own code still runs afterwards for threads that wait in its pollers.
     */
    static final class StopPollAdvice {
        private StopPollAdvice() {
        }

        @Advice.OnMethodEnter
        static void enter(@Advice.Argument(0) int fd, @Advice.Argument(1) int event) {
            Bridge.stopPoll(fd, event);
        }
    }
}

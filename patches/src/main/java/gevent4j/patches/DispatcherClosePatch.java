package gevent4j.patches;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import gevent4j.bootstrap.Bridge;
import java.io.FileDescriptor;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * The closes of sockets, datagram channels and pipes ({@code sun.nio.ch.UnixDispatcher.close},
 * {@code sun.nio.ch.UnixFileDispatcherImpl.close}): the Hub's loop forgets the descriptor before
 * the kernel can hand its number to a new socket (checked against JDK 25).
 */
final class DispatcherClosePatch {

    private DispatcherClosePatch() {
    }

    static List<Patch> patches() {
        String advice = DispatcherClosePatch.class.getName() + "$CloseAdvice";
        return List.of(
            new Patch("sun.nio.ch.UnixDispatcher",
                "socket descriptors are dropped from the Hub's loop before their number can be reused",
                List.of(new Patch.Method("void close(FileDescriptor fd)", named("close").and(takesArguments(1)), advice))),
            new Patch("sun.nio.ch.UnixFileDispatcherImpl",
                "pipe and file descriptors are dropped from the Hub's loop before their number can be reused",
                List.of(new Patch.Method("void close(FileDescriptor fd)", named("close").and(takesArguments(1)), advice))));
    }

    /** {@code close(Ljava/io/FileDescriptor;)V}: tell the Hub first. */
    static final class CloseAdvice {
        private CloseAdvice() {
        }

        @Advice.OnMethodEnter
        static void enter(@Advice.Argument(0) FileDescriptor fd) {
            Bridge.fdClosing(fd);
        }
    }
}

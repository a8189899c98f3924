package gevent4j.patches;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import gevent4j.bootstrap.Bridge;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import net.bytebuddy.asm.Advice;

/** Thread creation and the daemon flag (checked against JDK 25). */
final class ThreadPatches {

    private ThreadPatches() {
    }

    static List<Patch> patches() {
        String self = ThreadPatches.class.getName();
        return List.of(
            new Patch("java.lang.ThreadBuilders",
                "virtual threads the application creates itself run on the Hub",
                List.of(new Patch.Method("static Thread newVirtualThread(Executor scheduler, String name, int characteristics, Runnable task)",
                    named("newVirtualThread").and(takesArguments(4)), self + "$NewVirtualThreadAdvice"))),
            new Patch("java.lang.Thread",
                "greenlets keep the daemon flag of the platform threads they replace",
                List.of(
                    new Patch.Method("public final void setDaemon(boolean on)",
                        named("setDaemon").and(takesArguments(1)), self + "$SetDaemonAdvice"),
                    new Patch.Method("public final boolean isDaemon()",
                        named("isDaemon").and(takesArguments(0)), self + "$IsDaemonAdvice"))),
            new Patch("java.util.concurrent.Executors",
                "pools made by Executors.new*ThreadPool get greenlets",
                List.of(new Patch.Method("public static ThreadFactory defaultThreadFactory()",
                    named("defaultThreadFactory").and(takesArguments(0)), self + "$DefaultThreadFactoryAdvice"))),
            new Patch("java.util.concurrent.LinkedTransferQueue$DualNode",
                "SynchronousQueue and LinkedTransferQueue hand-offs do not spin on the one-thread Hub, where the spin can never succeed",
                List.of(new Patch.Method("final Object await(Object e, long ns, Object blocker, boolean spin)",
                    named("await").and(takesArguments(4)), self + "$AwaitSpinAdvice"))));
    }

    /** {@code ThreadBuilders.newVirtualThread(Ljava/util/concurrent/Executor;Ljava/lang/String;ILjava/lang/Runnable;)Ljava/lang/Thread;}. */
    static final class NewVirtualThreadAdvice {
        private NewVirtualThreadAdvice() {
        }

        @Advice.OnMethodEnter
        static void enter(@Advice.Argument(value = 0, readOnly = false) Executor scheduler) {
            scheduler = Bridge.scheduler(scheduler);
        }
    }

    /** {@code Thread.setDaemon(Z)V}: virtual threads refuse {@code false}; greenlets emulate it. */
    static final class SetDaemonAdvice {
        private SetDaemonAdvice() {
        }

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static boolean enter(@Advice.This Thread self, @Advice.Argument(0) boolean on) {
            return Bridge.setDaemon(self, on);
        }
    }

    /** {@code Thread.isDaemon()Z}: the emulated flag of a greenlet. */
    static final class IsDaemonAdvice {
        private IsDaemonAdvice() {
        }

        @Advice.OnMethodExit
        static void exit(@Advice.This Thread self, @Advice.Return(readOnly = false) boolean daemon) {
            daemon = Bridge.isDaemon(self, daemon);
        }
    }

    /** {@code Executors.defaultThreadFactory()Ljava/util/concurrent/ThreadFactory;}. */
    static final class DefaultThreadFactoryAdvice {
        private DefaultThreadFactoryAdvice() {
        }

        @Advice.OnMethodExit
        static void exit(@Advice.Return(readOnly = false) ThreadFactory factory) {
            factory = Bridge.threadFactory(factory);
        }
    }

    /** {@code LinkedTransferQueue$DualNode.await(Ljava/lang/Object;JLjava/lang/Object;Z)Ljava/lang/Object;}. */
    static final class AwaitSpinAdvice {
        private AwaitSpinAdvice() {
        }

        @Advice.OnMethodEnter
        static void enter(@Advice.Argument(value = 3, readOnly = false) boolean spin) {
            spin = Bridge.spin(spin);
        }
    }
}

package gevent4j.patches;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import gevent4j.bootstrap.Bridge;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.bytebuddy.asm.Advice;

/** {@code java.lang.VirtualThread} (checked against JDK 25). */
final class VirtualThreadPatch {

    private VirtualThreadPatch() {
    }

    static Patch patch() {
        String self = VirtualThreadPatch.class.getName();
        return new Patch("java.lang.VirtualThread",
            "timed parks, Thread.sleep and timed waits of greenlets use the Hub's loop timers; greenlet starts are counted for the JVM's lifetime; a greenlet that cannot unmount keeps the Hub's loop running while it parks",
            List.of(
                new Patch.Method("private Future<?> schedule(Runnable command, long delay, TimeUnit unit)",
                    named("schedule").and(takesArguments(3)), self + "$ScheduleAdvice"),
                new Patch.Method("void start(ThreadContainer container)",
                    named("start").and(takesArguments(1)), self + "$StartAdvice"),
                new Patch.Method("private void parkOnCarrierThread(boolean timed, long nanos)",
                    named("parkOnCarrierThread").and(takesArguments(2)), self + "$PinnedParkAdvice")));
    }

    /**
     * {@code java.lang.VirtualThread.schedule(Ljava/lang/Runnable;JLjava/util/concurrent/TimeUnit;)Ljava/util/concurrent/Future;}:
     * without this, a custom scheduler's timeouts go to the JDK's delayed-task threads.
     */
    static final class ScheduleAdvice {
        private ScheduleAdvice() {
        }

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static Future<?> enter(@Advice.FieldValue("scheduler") Executor scheduler, @Advice.Argument(0) Runnable command,
                               @Advice.Argument(1) long delay, @Advice.Argument(2) TimeUnit unit) {
            return Bridge.schedule(scheduler, command, delay, unit);
        }

        @Advice.OnMethodExit
        static void exit(@Advice.Enter Future<?> hubTimer, @Advice.Return(readOnly = false) Future<?> result) {
            if (hubTimer != null) {
                result = hubTimer;
            }
        }
    }

    /**
     * {@code java.lang.VirtualThread.parkOnCarrierThread(ZJ)V}: a pinned greenlet would park the
     * Hub thread itself, and with it the loop that delivers its wakeup; the Hub runs its loop
     * until the permit arrives, and the JDK's park then finds it.
     */
    static final class PinnedParkAdvice {
        private PinnedParkAdvice() {
        }

        @Advice.OnMethodEnter
        static void enter(@Advice.This Thread self, @Advice.Argument(0) boolean timed,
                          @Advice.Argument(value = 1, readOnly = false) long nanos) {
            nanos = Bridge.pinnedPark(self, timed, nanos);
        }
    }

    /** {@code java.lang.VirtualThread.start(Ljdk/internal/vm/ThreadContainer;)V}: count non-daemon greenlets. */
    static final class StartAdvice {
        private StartAdvice() {
        }

        @Advice.OnMethodEnter
        static void enter(@Advice.This Thread self) {
            Bridge.beforeStart(self);
        }
    }
}

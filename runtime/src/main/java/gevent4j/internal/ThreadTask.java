package gevent4j.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The {@code Runnable} a {@code java.lang.Thread} object was constructed with (its private
 * {@code holder.task}). A greenlet that replaces an application's {@code new Thread(r)} runs
 * {@code r} itself rather than {@code thread.run()}, so that the unstarted {@code Thread} object
 * (with its field holder, about 160 bytes) is not kept alive for the greenlet's whole life by the
 * greenlet's stack. For an exact {@code Thread} (no subclass) both do the same: {@code Thread.run}
 * runs the task if there is one, and a new thread has no scoped-value bindings to pass on.
 *
 * <p>Optional: on a JDK without these fields, {@link #available()} is false and callers keep
 * calling {@code run()}.
 */
public final class ThreadTask {

    private static final VarHandle HOLDER;
    private static final VarHandle TASK;

    static {
        VarHandle holder = null;
        VarHandle task = null;
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            Class<?> holderClass = Class.forName("java.lang.Thread$FieldHolder");
            holder = MethodHandles.privateLookupIn(Thread.class, lookup).findVarHandle(Thread.class, "holder", holderClass);
            task = MethodHandles.privateLookupIn(holderClass, lookup).findVarHandle(holderClass, "task", Runnable.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            holder = null;
            task = null;
        }
        HOLDER = holder;
        TASK = task;
    }

    private ThreadTask() {
    }

    /** Whether {@link #of} can read a thread's task on this JDK. */
    public static boolean available() {
        return TASK != null;
    }

    /** The task {@code thread} was constructed with, or null when it has none; only when {@link #available()}. */
    public static Runnable of(Thread thread) {
        Object holder = HOLDER.get(thread);
        return holder == null ? null : (Runnable) TASK.get(holder);
    }
}

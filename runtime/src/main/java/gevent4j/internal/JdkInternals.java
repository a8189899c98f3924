package gevent4j.internal;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Every private JDK member the runtime uses, resolved once. The agent opens the packages to its
 * own module with {@code Instrumentation.redefineModule} before this class initialises; unit tests
 * use {@code --add-opens}. If anything here is missing (another JDK build), initialisation fails
 * with a message naming the member, and the agent leaves the application unpatched.
 *
 * <p>Checked against JDK 25 (Temurin 25.0.3).
 */
public final class JdkInternals {

    private static final MethodHandle CURRENT_CARRIER_THREAD;
    private static final MethodHandle NEW_VIRTUAL_THREAD;
    private static final VarHandle VIRTUAL_THREAD_SCHEDULER;
    private static final VarHandle VIRTUAL_THREAD_PARK_PERMIT;
    private static final VarHandle VIRTUAL_THREAD_CARRIER;
    private static final VarHandle FILE_DESCRIPTOR_FD;
    private static final MethodHandle NET_POLL;
    private static final MethodHandle IS_REGULAR_FILE;
    private static final MethodHandle IS_REGULAR_FILE_DESCRIPTOR;
    private static final Class<?> VIRTUAL_THREAD;

    static {
        String member = "";
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();

            member = "java.lang.Thread.currentCarrierThread()";
            MethodHandles.Lookup threadLookup = MethodHandles.privateLookupIn(Thread.class, lookup);
            CURRENT_CARRIER_THREAD = threadLookup.findStatic(Thread.class, "currentCarrierThread",
                MethodType.methodType(Thread.class));

            member = "java.lang.ThreadBuilders.newVirtualThread(Executor,String,int,Runnable)";
            Class<?> builders = Class.forName("java.lang.ThreadBuilders");
            NEW_VIRTUAL_THREAD = MethodHandles.privateLookupIn(builders, lookup)
                .findStatic(builders, "newVirtualThread",
                    MethodType.methodType(Thread.class, Executor.class, String.class, int.class, Runnable.class));

            member = "java.lang.VirtualThread.scheduler";
            VIRTUAL_THREAD = Class.forName("java.lang.VirtualThread");
            MethodHandles.Lookup vtLookup = MethodHandles.privateLookupIn(VIRTUAL_THREAD, lookup);
            VIRTUAL_THREAD_SCHEDULER = vtLookup.findVarHandle(VIRTUAL_THREAD, "scheduler", Executor.class);
            member = "java.lang.VirtualThread.parkPermit";
            VIRTUAL_THREAD_PARK_PERMIT = vtLookup.findVarHandle(VIRTUAL_THREAD, "parkPermit", boolean.class);
            member = "java.lang.VirtualThread.carrierThread";
            VIRTUAL_THREAD_CARRIER = vtLookup.findVarHandle(VIRTUAL_THREAD, "carrierThread", Thread.class);

            member = "java.io.FileDescriptor.fd";
            FILE_DESCRIPTOR_FD = MethodHandles.privateLookupIn(FileDescriptor.class, lookup)
                .findVarHandle(FileDescriptor.class, "fd", int.class);

            member = "java.io.FileInputStream.isRegularFile()";
            IS_REGULAR_FILE = MethodHandles.privateLookupIn(FileInputStream.class, lookup)
                .findVirtual(FileInputStream.class, "isRegularFile", MethodType.methodType(boolean.class));

            member = "sun.nio.fs.UnixFileAttributes.get(int)";
            // fstat(2) of a descriptor, as the JDK's own file system provider does it.
            Class<?> attributes = Class.forName("sun.nio.fs.UnixFileAttributes");
            IS_REGULAR_FILE_DESCRIPTOR = MethodHandles.privateLookupIn(attributes, lookup)
                .findStatic(attributes, "get", MethodType.methodType(attributes, int.class))
                .asType(MethodType.methodType(java.nio.file.attribute.BasicFileAttributes.class, int.class));

            member = "sun.nio.ch.Net.poll(FileDescriptor,int,long)";
            // Not initialised here: Net's initialiser brings up InetAddress and the security
            // properties, which an application that never opens a socket does not need. The
            // handle initialises it on the first call.
            Class<?> net = Class.forName("sun.nio.ch.Net", false, null);
            NET_POLL = MethodHandles.privateLookupIn(net, lookup)
                .findStatic(net, "poll", MethodType.methodType(int.class, FileDescriptor.class, int.class, long.class));
        } catch (Throwable t) {
            throw new IllegalStateException("JDK internal " + member + " is not accessible on "
                + System.getProperty("java.vm.name") + " " + Runtime.version() + ": " + t, t);
        }
    }

    private JdkInternals() {
    }

    /** Forces the checks above; throws IllegalStateException naming what is missing. */
    public static void ensureAvailable() {
        // Initialising the class is the check.
    }

    /** The platform thread the caller runs on: itself, or the carrier of a virtual thread. */
    public static Thread currentCarrierThread() {
        try {
            return (Thread) CURRENT_CARRIER_THREAD.invokeExact();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * An unstarted virtual thread named {@code name} (null: unnamed) that runs {@code task} on
     * {@code scheduler}: what a virtual thread builder with that scheduler makes, with default
     * characteristics, through the one JDK method every builder ends in (which the agent patches
     * too), without a builder object per thread.
     */
    public static Thread newVirtualThread(Executor scheduler, String name, Runnable task) {
        Objects.requireNonNull(task, "task");
        try {
            return (Thread) NEW_VIRTUAL_THREAD.invokeExact(scheduler, name, 0, task);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The scheduler of a virtual thread, or null for a platform thread. */
    public static Executor schedulerOf(Thread thread) {
        if (!VIRTUAL_THREAD.isInstance(thread)) {
            return null;
        }
        return (Executor) VIRTUAL_THREAD_SCHEDULER.get(thread);
    }

    /** The park permit of a virtual thread: set by unpark, consumed by park. */
    /** The platform thread {@code virtualThread} is mounted on now, or null; from any thread. */
    public static Thread carrierOf(Thread virtualThread) {
        return VIRTUAL_THREAD.isInstance(virtualThread) ? (Thread) VIRTUAL_THREAD_CARRIER.getVolatile(virtualThread) : null;
    }

    public static boolean parkPermit(Thread virtualThread) {
        return (boolean) VIRTUAL_THREAD_PARK_PERMIT.getVolatile(virtualThread);
    }

    public static int fdVal(FileDescriptor fd) {
        return (int) FILE_DESCRIPTOR_FD.get(fd);
    }

    public static boolean isRegularFile(FileInputStream in) {
        try {
            return (boolean) IS_REGULAR_FILE.invokeExact(in);
        } catch (Throwable t) {
            return true; // unknown: treat as a file, which never goes through loop watchers
        }
    }

    /** Whether a descriptor is a regular file (fstat); true when unknown, which never polls. */
    public static boolean isRegularFile(FileDescriptor fd) {
        try {
            return ((java.nio.file.attribute.BasicFileAttributes) IS_REGULAR_FILE_DESCRIPTOR.invokeExact(fdVal(fd)))
                .isRegularFile();
        } catch (Throwable t) {
            return true;
        }
    }

    /**
     * poll(2) with a zero timeout: the ready events of {@code fd} among {@code events} (the JDK's
     * {@code Net.POLLIN}/{@code POLLOUT} values), 0 when none, without blocking or allocating.
     */
    public static int pollNow(FileDescriptor fd, int events) throws java.io.IOException {
        try {
            return (int) NET_POLL.invokeExact(fd, events, 0L);
        } catch (java.io.IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * The last slot of {@code java.lang.Shutdown}'s system hooks. Slot 1 runs every application
     * shutdown hook and waits for them to finish, slot 2 deletes the files marked delete-on-exit; a
     * hook here runs after both, in the thread that is ending the JVM.
     */
    private static final int LAST_SHUTDOWN_SLOT = 9;

    /**
     * Registers {@code hook} to run at JVM exit after every application shutdown hook has
     * finished (unlike {@code Runtime.addShutdownHook}, whose hooks run concurrently with the
     * application's), through the JDK's own mechanism for that, {@code java.lang.Shutdown.add}.
     *
     * @return false when it cannot be registered (another JDK without that member, the slot taken,
     *     shutdown already under way); the caller then leaves its cleanup to the end of the process
     */
    public static boolean addShutdownHookAfterApplicationHooks(Runnable hook) {
        try {
            Class<?> shutdown = Class.forName("java.lang.Shutdown");
            MethodHandle add = MethodHandles.privateLookupIn(shutdown, MethodHandles.lookup())
                .findStatic(shutdown, "add", MethodType.methodType(void.class, int.class, boolean.class, Runnable.class));
            add.invokeExact(LAST_SHUTDOWN_SLOT, false, hook);
            return true;
        } catch (Throwable t) {
            return false;
        }
    }
}

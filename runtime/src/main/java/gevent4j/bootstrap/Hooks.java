package gevent4j.bootstrap;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolver.LookupPolicy;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * What the patched JDK methods and application classes ask the runtime. The one implementation
 * lives in the agent's isolated class loader; {@link Bridge} holds it.
 *
 * <p>Threading: every method MUST be safe to call from any thread, including threads that are not
 * greenlets: each implementation decides per call whether the caller is a greenlet of the Hub and
 * otherwise answers "not handled" so that the JDK's own code runs. Implementations MUST NOT throw
 * anything but the checked exceptions declared here: patched JDK code inlines these calls.
 */
public interface Hooks {

    /** {@code sun.nio.ch.Poller.poll}: returns true when the wait was done on the Hub's loop. */
    boolean poll(int fd, int event, long nanos, BooleanSupplier isOpen) throws IOException;

    /** {@code sun.nio.ch.Poller.pollSelector}: returns true when the wait was done on the Hub's loop. */
    boolean pollSelector(int fd, long nanos) throws IOException;

    /**
     * {@code Selector.select}/{@code selectNow} returned {@code selected} keys. A greenlet that
     * found keys ready without waiting gives the Hub to the others once (gevent's select does the
     * same), so that a reactor spinning on ready keys cannot starve them.
     */
    void afterSelect(int selected);

    /** {@code sun.nio.ch.Poller.stopPoll}: wake greenlets waiting on {@code fd}. */
    void stopPoll(int fd, int event);

    /** A socket, pipe or file descriptor is about to be closed: forget every loop watcher of it. */
    void fdClosing(FileDescriptor fd);

    /**
     * {@code sun.nio.ch.NioSocketImpl.tryRead}, at its entry: true when the read would find nothing
     * (the calling greenlet's previous read of {@code fd} came back short and the Hub's loop has not
     * been asked about it since), so the JDK skips the {@code read} system call, answers "would
     * block" and parks the greenlet on the loop. False for every caller that is not a greenlet of
     * the Hub.
     */
    boolean skipDrainedRead(FileDescriptor fd);

    /** {@code sun.nio.ch.NioSocketImpl.tryRead} returned {@code result} for a read of {@code requested} bytes. */
    void socketRead(FileDescriptor fd, int requested, int result);

    /** {@code java.lang.ThreadBuilders.newVirtualThread}: the scheduler for a new virtual thread. */
    Executor scheduler(Executor requested);

    /** {@code java.lang.VirtualThread.schedule}: a Hub timer, or null to let the JDK schedule it. */
    Future<?> schedule(Executor scheduler, Runnable command, long delay, TimeUnit unit);

    /**
     * {@code java.lang.VirtualThread.parkOnCarrierThread}: a greenlet that cannot unmount is about
     * to park its carrier, the Hub thread. Returns the nanoseconds the JDK should still park for
     * (0 when the permit arrived or the time is up), after running the loop meanwhile.
     */
    long pinnedPark(Thread thread, boolean timed, long nanos);

    /**
     * {@code new Thread(...)} in application code: the greenlet that replaces the platform thread.
     * {@code site} is that call site ({@code class;method;line;file}), written into the bytecode by
     * the agent, which the spawn tree records instead of capturing the creation stack.
     */
    Thread newThread(Thread unstarted, String site);

    /** {@code Executors.defaultThreadFactory()}: a factory whose threads are greenlets. */
    ThreadFactory threadFactory(ThreadFactory jdkFactory);

    /**
     * {@code VirtualThread.parkNanos}, on the parking virtual thread before it parks (timed parks,
     * sleeps): lets the runtime report waits shorter than the loop's timer resolution.
     */
    void beforeTimedPark(Thread thread, long nanos);

    /**
     * {@code jdk.internal.misc.Signal.dispatch}: true when the handler of signal {@code number} was
     * started as a greenlet; false lets the JDK start its platform thread.
     */
    boolean dispatchSignal(int number);

    /**
     * {@code Runtime.addShutdownHook}/{@code removeShutdownHook}: the thread the JDK should really
     * register or remove for {@code hook}. A greenlet made from the application's {@code new Thread}
     * is registered as a platform twin, so that shutdown never depends on the Hub.
     */
    Thread shutdownHook(Thread hook, boolean adding);

    /** {@code Thread.setDaemon}: returns true when the (emulated) daemon flag of a greenlet was set. */
    boolean setDaemon(Thread thread, boolean on);

    /** {@code Thread.isDaemon}: the emulated daemon flag of a greenlet, else {@code jdkAnswer}. */
    boolean isDaemon(Thread thread, boolean jdkAnswer);

    /** {@code java.lang.VirtualThread.start}: a greenlet is about to start. */
    void beforeStart(Thread thread);

    /** {@code LinkedTransferQueue.DualNode.await}: whether to spin before parking. */
    boolean spin(boolean requested);

    /**
     * {@code FileInputStream.read}: returns {@link Bridge#NOT_HANDLED} to let the JDK read (after
     * waiting for readability when the descriptor is pollable), else the encoded result of a read
     * done elsewhere (see {@link Bridge#encodeRead}).
     */
    long fileRead(FileInputStream stream, byte[] buffer, int offset, int length, boolean single)
        throws IOException;

    /**
     * {@code FileOutputStream.write}: returns true when the write was done elsewhere (threadpool),
     * false to let the JDK write (after waiting for writability when the descriptor is pollable).
     */
    boolean fileWrite(FileOutputStream stream, byte[] buffer, int offset, int length, int singleByte, boolean single)
        throws IOException;

    /** True when file I/O of the caller should run on the threadpool ({@code fileobject=thread}). */
    boolean offloadsFileIo();

    /** Runs {@code io} on the threadpool while the calling greenlet parks; returns its encoded result. */
    long offloadFileIo(java.util.concurrent.Callable<Long> io) throws IOException;

    /**
     * {@code ProcessHandleImpl.completion}: the JDK is about to give {@code reaper}, its task that
     * waits for process {@code pid} (reaping it when {@code reaping}) and completes the process's
     * exit future, an OS thread of {@code jdkReapers}. Returns true when the runtime took the task
     * over: it then runs it exactly once, on a greenlet after the process has exited, or hands it
     * to {@code jdkReapers} itself if watching fails later. False lets the JDK run it as usual.
     */
    boolean watchChild(long pid, boolean reaping, Runnable reaper, Executor jdkReapers);

    /** The {@code resolver} setting: a forward lookup. */
    Stream<InetAddress> lookupByName(InetAddressResolver builtin, String host, LookupPolicy policy)
        throws UnknownHostException;

    /** The {@code resolver} setting: a reverse lookup. */
    String lookupByAddress(InetAddressResolver builtin, byte[] address) throws UnknownHostException;

    // ---- greenlets, timeouts, monitor (the public API in package gevent4j) ----

    /**
     * {@code ThreadBuilders.newVirtualThread}: the task a new virtual thread runs. A greenlet of
     * the Hub gets its task wrapped in a {@code gevent4j.Greenlet} (unless it is one already).
     */
    Runnable greenletTask(Executor scheduler, Runnable task);

    /** The known spawn site of a greenlet task (see {@link #newThread}), or null: then the stack is captured. */
    String knownSpawnSite(Runnable task);

    /** An unstarted greenlet of the Hub named {@code name} that runs {@code task}. */
    Thread newGreenletThread(Runnable task, String name);

    /** {@code track_greenlet_tree}. */
    boolean tracksGreenletTree();

    /** {@code value} rendered with the {@code format_context} formatter, or null for the default one. */
    String formatContext(Object value);

    /** Reports a failure of code that must not throw (event subscribers, link callbacks). */
    void reportError(String context, Throwable error);

    /**
     * Runs {@code action} on the Hub after {@code nanos} when the caller is a greenlet of the Hub;
     * returns what cancels it, or null when the caller is not a greenlet of the Hub.
     */
    Runnable scheduleOnHub(long nanos, Runnable action);

    /**
     * Wakes {@code greenlet} from a wait for a descriptor on the Hub's loop, making the waiting
     * socket operation throw {@code failure.get()}; called on the Hub thread. Returns false when
     * the greenlet is not in such a wait.
     */
    boolean failIoWait(Thread greenlet, java.util.function.Supplier<? extends IOException> failure);

    /** Lines describing the Hub, the loop, the monitor and native allocations, for diagnostics. */
    java.util.List<String> runInfo();

    /** True when the monitor thread runs. */
    boolean monitorRunning();

    /** Adds a periodic function to the monitor thread; returns its remover, or null without a monitor. */
    Runnable addMonitorFunction(long periodNanos, Runnable function);
}

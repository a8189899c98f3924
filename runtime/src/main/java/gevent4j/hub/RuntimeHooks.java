package gevent4j.hub;

import gevent4j.Greenlet;
import gevent4j.bootstrap.Bridge;
import gevent4j.bootstrap.Hooks;
import gevent4j.internal.JdkInternals;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolver.LookupPolicy;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The runtime's answers to patched code. Each method first decides whether the caller is a
 * greenlet of the Hub; if not, it answers "not handled" and the JDK's own code runs unchanged.
 * Unexpected failures are reported once and also answered "not handled": an internal error must
 * degrade to JDK behaviour, never break the application.
 */
final class RuntimeHooks implements Hooks {

    private final Hub hub;
    private final Greenlets greenlets;
    private final FileReads fileReads;
    private final FileWrites fileWrites;
    private final Resolvers resolvers;
    private final ChildWatching children;
    private final SignalHandlers signalHandlers;
    private final Diagnostics diagnostics;
    private volatile boolean reportedFailure;

    RuntimeHooks(Hub hub, Greenlets greenlets, FileReads fileReads, FileWrites fileWrites, Resolvers resolvers,
                 ChildWatching children, Diagnostics diagnostics) {
        this.hub = hub;
        this.diagnostics = diagnostics;
        this.greenlets = greenlets;
        this.fileReads = fileReads;
        this.fileWrites = fileWrites;
        this.resolvers = resolvers;
        this.children = children;
        try {
            this.signalHandlers = new SignalHandlers(hub);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("JDK internal jdk.internal.misc.Signal is not accessible: " + e, e);
        }
    }

    /** True when the caller is a greenlet mounted on the Hub thread. */
    private boolean onHubGreenlet() {
        return Thread.currentThread().isVirtual() && hub.inHubThread();
    }

    private void reportOnce(String what, Throwable t) {
        if (!reportedFailure) {
            reportedFailure = true;
            Log.error("internal failure in " + what + "; falling back to the JDK's behaviour", t);
        }
    }

    @Override
    public boolean poll(int fd, int event, long nanos, BooleanSupplier isOpen) throws IOException {
        if (!onHubGreenlet()) {
            return false;
        }
        try {
            return hub.poll(fd, event, nanos, isOpen);
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            reportOnce("Poller.poll", e);
            return false;
        }
    }

    @Override
    public boolean pollSelector(int fd, long nanos) throws IOException {
        return poll(fd, 0x1, nanos, Bridge::installed);
    }

    @Override
    public void afterSelect(int selected) {
        if (onHubGreenlet()) {
            // Queued behind every greenlet that is ready now; the caller resumes in turn.
            Thread.yield();
        }
    }

    @Override
    public void stopPoll(int fd, int event) {
        try {
            hub.fdClosing(fd);
        } catch (RuntimeException e) {
            reportOnce("Poller.stopPoll", e);
        }
    }

    @Override
    public void fdClosing(FileDescriptor fd) {
        try {
            int value = JdkInternals.fdVal(fd);
            if (value >= 0) {
                hub.fdClosing(value);
            }
        } catch (RuntimeException e) {
            reportOnce("descriptor close", e);
        }
    }

    @Override
    public boolean skipDrainedRead(FileDescriptor fd) {
        // An interrupted greenlet reads for real: the JDK returns data already there before it
        // looks at the interrupt, which the park that follows a skip would throw instead.
        if (!onHubGreenlet() || Thread.currentThread().isInterrupted()) {
            return false;
        }
        try {
            return hub.drainedReads().isDrained(JdkInternals.fdVal(fd));
        } catch (RuntimeException e) {
            reportOnce("NioSocketImpl.tryRead", e);
            return false;
        }
    }

    @Override
    public void socketRead(FileDescriptor fd, int requested, int result) {
        if (!onHubGreenlet()) {
            return;
        }
        try {
            hub.drainedReads().afterRead(JdkInternals.fdVal(fd), requested, result);
        } catch (RuntimeException e) {
            reportOnce("NioSocketImpl.tryRead", e);
        }
    }

    @Override
    public Executor scheduler(Executor requested) {
        return requested != null ? requested : hub;
    }

    @Override
    public Future<?> schedule(Executor scheduler, Runnable command, long delay, TimeUnit unit) {
        if (scheduler != hub || !hub.inHubThread()) {
            return null;
        }
        try {
            return hub.schedule(command, delay, unit);
        } catch (RuntimeException e) {
            reportOnce("VirtualThread.schedule", e);
            return null;
        }
    }

    @Override
    public long pinnedPark(Thread thread, boolean timed, long nanos) {
        if (!hub.isGreenlet(thread) || !hub.inHubThread()) {
            return nanos;
        }
        try {
            return hub.pinnedPark(thread, timed, nanos);
        } catch (RuntimeException e) {
            reportOnce("pinned park", e);
            return nanos;
        }
    }

    @Override
    public Thread newThread(Thread unstarted, String site) {
        try {
            return greenlets.replace(unstarted, site);
        } catch (RuntimeException e) {
            reportOnce("new Thread", e);
            return unstarted;
        }
    }

    @Override
    public ThreadFactory threadFactory(ThreadFactory jdkFactory) {
        return greenlets.factory(jdkFactory);
    }

    @Override
    public void beforeTimedPark(Thread thread, long nanos) {
        if (hub.isGreenlet(thread)) {
            hub.beforeTimedPark(nanos);
        }
    }

    @Override
    public boolean dispatchSignal(int number) {
        try {
            return signalHandlers.dispatch(number);
        } catch (RuntimeException e) {
            reportOnce("signal dispatch", e);
            return false;
        }
    }

    @Override
    public Thread shutdownHook(Thread hook, boolean adding) {
        if (hook == null) {
            return null; // the JDK throws its own NullPointerException
        }
        try {
            return adding ? greenlets.shutdownHookToAdd(hook) : greenlets.shutdownHookToRemove(hook);
        } catch (RuntimeException e) {
            reportOnce("shutdown hook", e);
            return hook;
        }
    }

    @Override
    public boolean setDaemon(Thread thread, boolean on) {
        return greenlets.setDaemon(thread, on);
    }

    @Override
    public boolean isDaemon(Thread thread, boolean jdkAnswer) {
        return thread.isVirtual() ? greenlets.isDaemon(thread, jdkAnswer) : jdkAnswer;
    }

    @Override
    public void beforeStart(Thread thread) {
        greenlets.beforeStart(thread);
    }

    @Override
    public boolean spin(boolean requested) {
        // On a one-thread Hub the party that would end the spin cannot run while we spin.
        return requested && !onHubGreenlet();
    }

    @Override
    public long fileRead(FileInputStream stream, byte[] buffer, int offset, int length, boolean single)
            throws IOException {
        if (!onHubGreenlet()) {
            return Bridge.NOT_HANDLED;
        }
        try {
            return fileReads.read(stream, buffer, offset, length, single);
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            reportOnce("FileInputStream.read", e);
            return Bridge.NOT_HANDLED;
        }
    }

    @Override
    public boolean fileWrite(FileOutputStream stream, byte[] buffer, int offset, int length, int singleByte,
                             boolean single) throws IOException {
        if (!onHubGreenlet()) {
            return false;
        }
        try {
            return fileWrites.write(stream, buffer, offset, length, singleByte, single);
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            reportOnce("FileOutputStream.write", e);
            return false;
        }
    }

    @Override
    public boolean offloadsFileIo() {
        return fileWrites.offloads() && onHubGreenlet();
    }

    @Override
    public long offloadFileIo(java.util.concurrent.Callable<Long> io) throws IOException {
        return fileWrites.offload(io);
    }

    @Override
    public boolean watchChild(long pid, boolean reaping, Runnable reaper, Executor jdkReapers) {
        // Only a child a greenlet has just started (ProcessImpl's own completion(pid, true)).
        // ProcessHandle.of(pid).onExit() of any other process, and children of platform threads
        // such as shutdown hooks, keep the JDK's reaper: they must not depend on the Hub.
        if (!reaping || !onHubGreenlet()) {
            return false;
        }
        try {
            return children.watch(pid, reaper, jdkReapers);
        } catch (RuntimeException | LinkageError e) {
            reportOnce("child process watching", e);
            return false;
        }
    }

    @Override
    public Stream<InetAddress> lookupByName(InetAddressResolver builtin, String host, LookupPolicy policy)
            throws UnknownHostException {
        return resolvers.lookupByName(builtin, host, policy);
    }

    @Override
    public String lookupByAddress(InetAddressResolver builtin, byte[] address) throws UnknownHostException {
        return resolvers.lookupByAddress(builtin, address);
    }

    // ---- greenlet API ----

    @Override
    public Runnable greenletTask(Executor scheduler, Runnable task) {
        if (scheduler != hub || task instanceof Greenlet) {
            return task;
        }
        try {
            return new Greenlet<Void>(task);
        } catch (RuntimeException e) {
            reportOnce("greenlet creation", e);
            return task;
        }
    }

    @Override
    public String knownSpawnSite(Runnable task) {
        return Greenlets.knownSpawnSite(task);
    }

    @Override
    public Thread newGreenletThread(Runnable task, String name) {
        return JdkInternals.newVirtualThread(hub, name, task);
    }

    @Override
    public boolean tracksGreenletTree() {
        return diagnostics.trackTree();
    }

    @Override
    public String formatContext(Object value) {
        return diagnostics.format(value);
    }

    @Override
    public void reportError(String context, Throwable error) {
        Log.error(context + " failed", error);
    }

    @Override
    public Runnable scheduleOnHub(long nanos, Runnable action) {
        if (!onHubGreenlet()) {
            return null;
        }
        ScheduledFuture<?> timer = hub.schedule(action, nanos, TimeUnit.NANOSECONDS);
        return () -> timer.cancel(false);
    }

    @Override
    public boolean failIoWait(Thread greenlet, Supplier<? extends IOException> failure) {
        return hub.inHubThread() && hub.failIoWait(greenlet, failure);
    }

    @Override
    public List<String> runInfo() {
        return diagnostics.runInfo();
    }

    @Override
    public boolean monitorRunning() {
        return diagnostics.monitor() != null;
    }

    @Override
    public Runnable addMonitorFunction(long periodNanos, Runnable function) {
        HubMonitor monitor = diagnostics.monitor();
        return monitor == null ? null : monitor.addFunction(periodNanos, function);
    }
}

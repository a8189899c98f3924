package gevent4j.bootstrap;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
 * The static entry points that patched code calls. This class and {@link Hooks} are the only
 * gevent4j classes defined by the bootstrap class loader (every patched JDK class must see them);
 * everything else stays in the agent's own loader, out of the application's sight.
 *
 * <p>While {@link #hooks} is null (agent not started, or start-up failed) every method answers
 * "not handled" and the JDK behaves as if unpatched.
 */
public final class Bridge {

    /** Returned by {@link #fileRead} when the JDK should perform the read itself. */
    public static final long NOT_HANDLED = 0L;

    private static volatile Hooks hooks;

    private Bridge() {
    }

    /** Installs (or with null removes) the runtime. */
    public static void install(Hooks newHooks) {
        hooks = newHooks;
    }

    public static boolean installed() {
        return hooks != null;
    }

    public static boolean poll(int fd, int event, long nanos, BooleanSupplier isOpen) throws IOException {
        Hooks h = hooks;
        return h != null && h.poll(fd, event, nanos, isOpen);
    }

    public static boolean pollSelector(int fd, long nanos) throws IOException {
        Hooks h = hooks;
        return h != null && h.pollSelector(fd, nanos);
    }

    public static void afterSelect(int selected) {
        Hooks h = hooks;
        if (h != null && selected > 0) {
            h.afterSelect(selected);
        }
    }

    public static void stopPoll(int fd, int event) {
        Hooks h = hooks;
        if (h != null) {
            h.stopPoll(fd, event);
        }
    }

    public static void fdClosing(FileDescriptor fd) {
        Hooks h = hooks;
        if (h != null) {
            h.fdClosing(fd);
        }
    }

    public static boolean skipDrainedRead(FileDescriptor fd) {
        Hooks h = hooks;
        return h != null && h.skipDrainedRead(fd);
    }

    /** Called with the read's result first, as it is on the patched method's stack. */
    public static void socketRead(int result, FileDescriptor fd, int requested) {
        Hooks h = hooks;
        if (h != null) {
            h.socketRead(fd, requested, result);
        }
    }

    public static Executor scheduler(Executor requested) {
        Hooks h = hooks;
        return h == null ? requested : h.scheduler(requested);
    }

    public static Future<?> schedule(Executor scheduler, Runnable command, long delay, TimeUnit unit) {
        Hooks h = hooks;
        return h == null ? null : h.schedule(scheduler, command, delay, unit);
    }

    public static void beforeTimedPark(Thread thread, long nanos) {
        Hooks h = hooks;
        if (h != null) {
            h.beforeTimedPark(thread, nanos);
        }
    }

    public static long pinnedPark(Thread thread, boolean timed, long nanos) {
        Hooks h = hooks;
        return h == null ? nanos : h.pinnedPark(thread, timed, nanos);
    }

    public static Thread newThread(Thread unstarted, String site) {
        Hooks h = hooks;
        return h == null ? unstarted : h.newThread(unstarted, site);
    }

    public static ThreadFactory threadFactory(ThreadFactory jdkFactory) {
        Hooks h = hooks;
        return h == null ? jdkFactory : h.threadFactory(jdkFactory);
    }

    public static boolean dispatchSignal(int number) {
        Hooks h = hooks;
        return h != null && h.dispatchSignal(number);
    }

    public static Thread addShutdownHook(Thread hook) {
        Hooks h = hooks;
        return h == null ? hook : h.shutdownHook(hook, true);
    }

    public static Thread removeShutdownHook(Thread hook) {
        Hooks h = hooks;
        return h == null ? hook : h.shutdownHook(hook, false);
    }

    public static boolean setDaemon(Thread thread, boolean on) {
        Hooks h = hooks;
        return h != null && h.setDaemon(thread, on);
    }

    public static boolean isDaemon(Thread thread, boolean jdkAnswer) {
        Hooks h = hooks;
        return h == null ? jdkAnswer : h.isDaemon(thread, jdkAnswer);
    }

    public static void beforeStart(Thread thread) {
        Hooks h = hooks;
        if (h != null) {
            h.beforeStart(thread);
        }
    }

    public static boolean spin(boolean requested) {
        Hooks h = hooks;
        return h == null ? requested : h.spin(requested);
    }

    public static long fileRead(FileInputStream stream, byte[] buffer, int offset, int length, boolean single)
            throws IOException {
        Hooks h = hooks;
        return h == null ? NOT_HANDLED : h.fileRead(stream, buffer, offset, length, single);
    }

    /** {@code FileInputStream.read(byte[])}: a null buffer is left to the JDK, which throws. */
    public static long fileReadArray(FileInputStream stream, byte[] buffer) throws IOException {
        return buffer == null ? NOT_HANDLED : fileRead(stream, buffer, 0, buffer.length, false);
    }

    public static boolean fileWrite(FileOutputStream stream, byte[] buffer, int offset, int length, int singleByte,
                                    boolean single) throws IOException {
        Hooks h = hooks;
        return h != null && h.fileWrite(stream, buffer, offset, length, singleByte, single);
    }

    /** {@code FileOutputStream.write(byte[])}: a null buffer is left to the JDK, which throws. */
    public static boolean fileWriteArray(FileOutputStream stream, byte[] buffer) throws IOException {
        return buffer != null && fileWrite(stream, buffer, 0, buffer.length, 0, false);
    }

    // FileChannel (fileobject=thread): the same call, made again on a threadpool thread, where
    // offloadsFileIo() is false and the JDK's own code runs. Lambdas, not inner classes: only this
    // class file is defined in the boot loader.

    public static long channelRead(FileChannel channel, ByteBuffer dst) throws IOException {
        Hooks h = hooks;
        return h == null || !h.offloadsFileIo() ? NOT_HANDLED : h.offloadFileIo(() -> (long) channel.read(dst));
    }

    public static long channelReadAt(FileChannel channel, ByteBuffer dst, long position) throws IOException {
        Hooks h = hooks;
        return h == null || !h.offloadsFileIo() ? NOT_HANDLED : h.offloadFileIo(() -> (long) channel.read(dst, position));
    }

    public static long channelWrite(FileChannel channel, ByteBuffer src) throws IOException {
        Hooks h = hooks;
        return h == null || !h.offloadsFileIo() ? NOT_HANDLED : h.offloadFileIo(() -> (long) channel.write(src));
    }

    public static long channelWriteAt(FileChannel channel, ByteBuffer src, long position) throws IOException {
        Hooks h = hooks;
        return h == null || !h.offloadsFileIo() ? NOT_HANDLED : h.offloadFileIo(() -> (long) channel.write(src, position));
    }

    /**
     * Encodes the result of a read done elsewhere so that it can never equal {@link #NOT_HANDLED}:
     * -1 (end of stream), 0 and positive counts all map to values of 1 or more.
     */
    public static long encodeRead(int result) {
        return (long) result + 2L;
    }

    public static int decodeRead(long encoded) {
        return (int) (encoded - 2L);
    }

    /**
     * {@code ProcessHandleImpl.completion}, in place of {@code reapers.execute(reaper)}: the JDK's
     * reaper task for process {@code pid} runs on the JDK's "process reaper" thread pool (one OS
     * thread per process, blocked in {@code waitpid} until it exits) unless the runtime watches
     * the process on the Hub's loop and runs the task itself once the process has exited.
     */
    public static void startReaper(Executor reapers, Runnable reaper, long pid, boolean reaping) {
        Hooks h = hooks;
        if (h == null || !h.watchChild(pid, reaping, reaper, reapers)) {
            reapers.execute(reaper);
        }
    }

    public static Stream<InetAddress> lookupByName(InetAddressResolver builtin, String host, LookupPolicy policy)
            throws UnknownHostException {
        Hooks h = hooks;
        return h == null ? builtin.lookupByName(host, policy) : h.lookupByName(builtin, host, policy);
    }

    public static String lookupByAddress(InetAddressResolver builtin, byte[] address) throws UnknownHostException {
        Hooks h = hooks;
        return h == null ? builtin.lookupByAddress(address) : h.lookupByAddress(builtin, address);
    }

    // ---- greenlets, timeouts, monitor: what the public API (package gevent4j) asks ----

    public static Runnable greenletTask(Executor scheduler, Runnable task) {
        Hooks h = hooks;
        return h == null ? task : h.greenletTask(scheduler, task);
    }

    public static String knownSpawnSite(Runnable task) {
        Hooks h = hooks;
        return h == null ? null : h.knownSpawnSite(task);
    }

    /** An unstarted greenlet of the Hub, or null without the agent (the caller then makes a virtual thread). */
    public static Thread newGreenletThread(Runnable task, String name) {
        Hooks h = hooks;
        return h == null ? null : h.newGreenletThread(task, name);
    }

    public static boolean tracksGreenletTree() {
        Hooks h = hooks;
        return h == null || h.tracksGreenletTree();
    }

    public static String formatContext(Object value) {
        Hooks h = hooks;
        return h == null ? null : h.formatContext(value);
    }

    public static void reportError(String context, Throwable error) {
        Hooks h = hooks;
        if (h != null) {
            h.reportError(context, error);
        } else {
            System.err.println("gevent4j: ERROR " + context + " failed with " + error);
        }
    }

    public static Runnable scheduleOnHub(long nanos, Runnable action) {
        Hooks h = hooks;
        return h == null ? null : h.scheduleOnHub(nanos, action);
    }

    public static boolean failIoWait(Thread greenlet, java.util.function.Supplier<? extends IOException> failure) {
        Hooks h = hooks;
        return h != null && h.failIoWait(greenlet, failure);
    }

    public static java.util.List<String> runInfo() {
        Hooks h = hooks;
        return h == null ? java.util.List.of("Hub: none (the gevent4j agent is not running)") : h.runInfo();
    }

    public static boolean monitorRunning() {
        Hooks h = hooks;
        return h != null && h.monitorRunning();
    }

    public static Runnable addMonitorFunction(long periodNanos, Runnable function) {
        Hooks h = hooks;
        return h == null ? null : h.addMonitorFunction(periodNanos, function);
    }
}

package gevent4j.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.internal.JdkInternals;
import gevent4j.loop.LoopOptions;
import gevent4j.loop.ProcessDescriptors;
import gevent4j.loops.jdk.JdkLoopProvider;
import java.io.FileInputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ChildWatching} on a real Hub (jdk loop) with scripted process descriptors: a pipe stands
 * for a child's pidfd ("the child exits" = a byte written to it), and {@link ProcessDescriptors#exitState}
 * answers what each test says. What is checked: the JDK's reaper task runs exactly once, on a
 * greenlet only when the child has exited, and on the JDK's own executor in every other case,
 * so that an exit is never lost and the Hub never blocks; and every descriptor is closed.
 * Real pidfds are {@code LinuxPidfdsTest}'s; the whole path under the agent is {@code ChildWatchIT}'s.
 */
class ChildWatchingTest {

    private static final long PID = 4242;
    /** Hang guard only: each wait below ends as soon as what it waits for happens. */
    private static final long GUARD_SECONDS = 10;

    private static Hub hub;
    private Pipe pipe;
    private final Scripted descriptors = new Scripted();
    private final CompletableFuture<Thread> ranOn = new CompletableFuture<>();
    private final CompletableFuture<Runnable> handedToJdk = new CompletableFuture<>();
    private final Runnable reaper = () -> ranOn.complete(Thread.currentThread());
    private final Executor jdkReapers = handedToJdk::complete;

    @BeforeAll
    static void startHub() {
        hub = Hub.start(new JdkLoopProvider(), LoopOptions.defaults());
    }

    @AfterEach
    void closePipe() throws IOException {
        if (pipe != null) {
            pipe.source().close();
            pipe.sink().close();
        }
    }

    private int pipeReadFd() throws Exception {
        pipe = Pipe.open();
        Method fdVal = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
        fdVal.setAccessible(true);
        return (int) fdVal.invoke(pipe.source());
    }

    private void childExits() throws IOException {
        pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
    }

    private static <T> T onGreenlet(Callable<T> body) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        JdkInternals.newVirtualThread(hub, null, () -> {
            try {
                result.complete(body.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }).start();
        return result.get(GUARD_SECONDS, TimeUnit.SECONDS);
    }

    /** A few Hub iterations (greenlets that yield), each polling the loop: what was ready has fired. */
    private static void hubRoundTrips() throws Exception {
        onGreenlet(() -> {
            for (int i = 0; i < 3; i++) {
                Thread.yield();
            }
            return null;
        });
    }

    private boolean watch(ChildWatching watching) throws Exception {
        return onGreenlet(() -> watching.watch(PID, reaper, jdkReapers));
    }

    @Test
    void theJdkTaskRunsOnAGreenletOnceTheChildHasExited() throws Exception {
        int fd = pipeReadFd();
        descriptors.open = () -> fd;
        assertTrue(watch(new ChildWatching(hub, true, Runnable::run, () -> descriptors)));
        hubRoundTrips();
        assertFalse(ranOn.isDone(), "the reaper ran before the child exited");

        childExits();
        Thread thread = ranOn.get(GUARD_SECONDS, TimeUnit.SECONDS);
        assertTrue(thread.isVirtual() && hub.isGreenlet(thread), thread.toString());
        assertEquals("process reaper", thread.getName());
        assertFalse(handedToJdk.isDone());
        assertEquals(List.of(fd), descriptors.closed);
        assertEquals(List.of(PID), descriptors.asked);
    }

    @Test
    void aChildSomeoneElseReapedStillGetsItsTaskOnAGreenlet() throws Exception {
        // ECHILD: the JDK's waitpid fails at once too, and its task then does what it does anyway.
        int fd = pipeReadFd();
        descriptors.open = () -> fd;
        descriptors.state = -ProcessDescriptors.ECHILD;
        assertTrue(watch(new ChildWatching(hub, true, Runnable::run, () -> descriptors)));
        childExits();
        assertTrue(ranOn.get(GUARD_SECONDS, TimeUnit.SECONDS).isVirtual());
        assertFalse(handedToJdk.isDone());
    }

    @Test
    void readableWhileStillRunningHandsTheTaskToTheJdk() throws Exception {
        int fd = pipeReadFd();
        descriptors.open = () -> fd;
        descriptors.state = ProcessDescriptors.RUNNING;
        assertTrue(watch(new ChildWatching(hub, true, Runnable::run, () -> descriptors)));
        childExits();
        assertEquals(reaper, handedToJdk.get(GUARD_SECONDS, TimeUnit.SECONDS));
        hubRoundTrips();
        assertFalse(ranOn.isDone(), "run on the Hub although its waitpid could block");
        assertEquals(List.of(fd), descriptors.closed);
    }

    @Test
    void aFailureAfterTheExitHandsTheTaskToTheJdk() throws Exception {
        int fd = pipeReadFd();
        descriptors.open = () -> fd;
        descriptors.state = Integer.MIN_VALUE; // exitState throws
        assertTrue(watch(new ChildWatching(hub, true, Runnable::run, () -> descriptors)));
        childExits();
        assertEquals(reaper, handedToJdk.get(GUARD_SECONDS, TimeUnit.SECONDS));
        assertFalse(ranOn.isDone());
    }

    @Test
    void theProbeRunsOnceOffTheHubWhileTheFirstChildsGreenletWaits() throws Exception {
        int fd = pipeReadFd();
        descriptors.open = () -> fd;
        CompletableFuture<Runnable> probeTask = new CompletableFuture<>();
        List<Thread> probedOn = new CopyOnWriteArrayList<>();
        ChildWatching watching = new ChildWatching(hub, true, probeTask::complete, () -> {
            probedOn.add(Thread.currentThread());
            return descriptors;
        });
        CompletableFuture<Boolean> first = new CompletableFuture<>();
        JdkInternals.newVirtualThread(hub, null, () -> first.complete(watching.watch(PID, reaper, jdkReapers))).start();
        Runnable probe = probeTask.get(GUARD_SECONDS, TimeUnit.SECONDS);
        assertEquals("the Hub runs other greenlets meanwhile", onGreenlet(() -> "the Hub runs other greenlets meanwhile"));
        assertFalse(first.isDone(), "watched before the probe finished");

        Thread.ofPlatform().start(probe).join();
        assertTrue(first.get(GUARD_SECONDS, TimeUnit.SECONDS));
        assertEquals(1, probedOn.size());
        assertFalse(probedOn.get(0).isVirtual());
        // A later child uses the outcome: no second probe, no wait.
        descriptors.open = () -> -24;
        assertFalse(onGreenlet(() -> watching.watch(PID + 1, reaper, jdkReapers)));
        assertEquals(1, probedOn.size());
        assertEquals(2, descriptors.opened);

        childExits();
        assertTrue(ranOn.get(GUARD_SECONDS, TimeUnit.SECONDS).isVirtual());
    }

    @Test
    void nothingIsWatchedWhenDisabled() throws Exception {
        assertFalse(watch(new ChildWatching(hub, false, Runnable::run, () -> descriptors)));
        assertEquals(0, descriptors.opened);
    }

    @Test
    void nothingIsWatchedWithoutProcessDescriptors() throws Exception {
        assertFalse(watch(new ChildWatching(hub, true, Runnable::run, () -> null)));
    }

    @Test
    void nothingIsWatchedWhenOpenFails() throws Exception {
        descriptors.open = () -> -24; // EMFILE
        assertFalse(watch(new ChildWatching(hub, true, Runnable::run, () -> descriptors)));
        assertEquals(List.of(), descriptors.closed);
    }

    @Test
    void aDescriptorTheLoopRefusesIsClosedAndLeftToTheJdk(@TempDir Path dir) throws Exception {
        // epoll refuses regular files (EPERM): the loop cannot watch this "pidfd".
        Path file = Files.writeString(dir.resolve("not-a-pidfd"), "x");
        try (FileInputStream in = new FileInputStream(file.toFile())) {
            int fd = JdkInternals.fdVal(in.getFD());
            descriptors.open = () -> fd;
            assertFalse(watch(new ChildWatching(hub, true, Runnable::run, () -> descriptors)));
            assertEquals(List.of(fd), descriptors.closed);
        }
        hubRoundTrips();
        assertFalse(ranOn.isDone());
        assertFalse(handedToJdk.isDone());
    }

    /** Process descriptors that answer as scripted and record what they were asked. */
    private static final class Scripted implements ProcessDescriptors {
        volatile IntSupplier open = () -> -1;
        volatile int state = EXITED;
        volatile int opened;
        final List<Integer> closed = new CopyOnWriteArrayList<>();
        final List<Long> asked = new CopyOnWriteArrayList<>();

        @Override
        public boolean isAvailable() {
            return true;
        }

        @Override
        public Throwable unavailabilityCause() {
            return null;
        }

        @Override
        public String describe() {
            return "scripted";
        }

        @Override
        public int open(long pid) {
            opened++;
            return open.getAsInt();
        }

        @Override
        public void close(int pidfd) {
            closed.add(pidfd); // the test owns the descriptor and closes it itself
        }

        @Override
        public int exitState(long pid) {
            asked.add(pid);
            if (state == Integer.MIN_VALUE) {
                throw new IllegalStateException("scripted failure");
            }
            return state;
        }
    }
}

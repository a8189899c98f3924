package gevent4j.benchmarks.children;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The child process batch: plain application code in which {@code N} threads (the argument) each
 * start a child ({@code sh -c 'read x; exit 0'}, alive until its stdin closes) and wait for it with
 * {@code Process.waitFor()}. Without the agent the threads are platform threads and the JDK adds a
 * "process reaper" thread per live child; under the agent the threads are greenlets and, with
 * child watching on, the Hub's loop watches each child instead of a reaper thread.
 *
 * <p>Once every child has been started and is alive, the OS threads of the process
 * ({@code /proc/self/task}) and those named "process reaper" are counted; then every stdin is
 * closed at once and each thread waits for its child's exit. Prints
 * {@code children=<n> start_ms=<all started> exit_ms=<all exited and waited for> threads_alive=<n>
 * reapers_alive=<n>}, then {@code CHILD_BATCH OK} when every exit code was 0. The whole-process
 * peaks come from {@code ProcPeak} around it.
 */
public final class ChildBatch {

    private ChildBatch() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        // main stays a platform thread under the agent: the batch runs on a thread of its own.
        Thread driver = new Thread(() -> {
            try {
                run(n);
            } catch (Exception e) {
                e.printStackTrace();
                System.exit(1);
            }
        });
        driver.start();
        driver.join();
    }

    private static void run(int n) throws Exception {
        // The JDK's process launcher initialises once, outside the measurement.
        if (new ProcessBuilder("true").start().waitFor() != 0) {
            throw new IllegalStateException("true failed");
        }
        CountDownLatch started = new CountDownLatch(n);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger ok = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> {
                try {
                    Process child = new ProcessBuilder("sh", "-c", "read x; exit 0")
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                    started.countDown();
                    release.await();
                    child.getOutputStream().close();
                    if (child.waitFor() == 0) {
                        ok.incrementAndGet();
                    }
                } catch (IOException | InterruptedException e) {
                    System.out.println("child failed: " + e);
                    started.countDown();
                }
            });
            t.start();
            threads.add(t);
        }
        started.await();
        long t1 = System.nanoTime();
        long threadsAlive = 0;
        long reapers = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                threadsAlive++;
                try {
                    if (Files.readString(task.resolve("comm")).startsWith("process reaper")) {
                        reapers++;
                    }
                } catch (IOException ended) {
                    // ended meanwhile
                }
            }
        }
        release.countDown();
        for (Thread t : threads) {
            t.join();
        }
        long t2 = System.nanoTime();
        System.out.printf("children=%d start_ms=%.1f exit_ms=%.1f threads_alive=%d reapers_alive=%d%n",
            n, (t1 - t0) / 1e6, (t2 - t1) / 1e6, threadsAlive, reapers);
        if (ok.get() == n) {
            System.out.println("CHILD_BATCH OK");
        } else {
            System.out.println("CHILD_BATCH FAILED: " + ok.get() + " of " + n + " children exited with 0");
        }
    }
}

package gevent4j.thirdparty.harness;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarFile;

/**
 * Runs one application of this module in a child JVM, with or without the gevent4j agent:
 * {@code <java.home>/bin/java [-javaagent:<jar>] -cp <gevent4j.thirdparty.classpath> <main> <args>}.
 * (The same approach as integration-tests' {@code AgentJvm}, which this module cannot depend on
 * without a test-jar of that module.)
 *
 * <p>Both output streams are drained by threads of their own; the child's OS thread count
 * ({@code Threads:} of {@code /proc/<pid>/status}) is sampled every 20 ms while it runs. A child
 * still running at its deadline gets two thread dumps written to {@code gevent4j.thirdparty.dumps}
 * ({@code Thread.print}, and {@code Thread.dump_to_file -format=text}, which lists virtual
 * threads too), is killed, and the test fails with everything it printed and where the dumps are.
 * The child's environment is the test JVM's minus everything that would configure gevent4j or the
 * JVM behind the test's back.
 */
public final class ChildJvm {
  private static final List<String> SCRUBBED_PREFIXES =
      List.of("GEVENT", "PYTHONTRACEMALLOC", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");
  private static final long SAMPLE_MILLIS = 20;

  private static Path agentJarCopy;

  private ChildJvm() {}

  /** What a finished child left behind. */
  public record Result(String description, int exitCode, String stdout, String stderr, int peakThreads, int samples) {
    /** Non-blank stderr lines. */
    public List<String> stderrLines() {
      return stderr.lines().filter(l -> !l.isBlank()).toList();
    }

    /** Whether stdout has a line equal to {@code line}. */
    public boolean hasStdoutLine(String line) {
      return stdout.lines().anyMatch(line::equals);
    }

    @Override
    public String toString() {
      return "command: " + description
          + "\nexit code: " + exitCode
          + "\npeak OS threads: " + peakThreads + " over " + samples + " samples of /proc"
          + "\n----- stdout -----\n" + abbreviate(stdout)
          + "\n----- stderr -----\n" + abbreviate(stderr)
          + "\n------------------";
    }
  }

  /** Runs {@code mainClass} with {@code args}, under the agent if {@code agent}, within {@code timeout}. */
  public static Result run(boolean agent, Class<?> mainClass, Duration timeout, String... args) {
    List<String> line = new ArrayList<>();
    line.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (agent) {
      line.add("-javaagent:" + agentJar());
    }
    line.add("-cp");
    line.add(classPath());
    line.add(mainClass.getName());
    line.addAll(List.of(args));
    String description = String.join(" ", line);

    ProcessBuilder pb = new ProcessBuilder(line);
    pb.environment().keySet().removeIf(k -> SCRUBBED_PREFIXES.stream().anyMatch(k::startsWith));
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + description, e);
    }
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // nothing to close
    }
    Drain out = Drain.start(process.getInputStream(), "stdout-" + process.pid());
    Drain err = Drain.start(process.getErrorStream(), "stderr-" + process.pid());
    AtomicInteger peak = new AtomicInteger(-1);
    AtomicInteger samples = new AtomicInteger();
    Thread sampler = Thread.ofPlatform().daemon().name("threads-" + process.pid()).start(() -> {
      Path status = Path.of("/proc", Long.toString(process.pid()), "status");
      while (process.isAlive()) {
        try {
          for (String l : Files.readAllLines(status)) {
            if (l.startsWith("Threads:")) {
              peak.accumulateAndGet(Integer.parseInt(l.substring(8).trim()), Math::max);
              samples.incrementAndGet();
            }
          }
          Thread.sleep(SAMPLE_MILLIS);
        } catch (IOException | RuntimeException e) {
          return; // gone
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        String dumps = dumpThreads(process.pid());
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        out.join(10_000);
        err.join(10_000);
        return fail(description + ": still running after " + timeout.toSeconds() + " s; " + dumps + "\n"
            + new Result(description, Integer.MIN_VALUE, out.text(), err.text(), peak.get(), samples.get()));
      }
      out.join(10_000);
      err.join(10_000);
      sampler.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IllegalStateException(e);
    }
    return new Result(description, process.exitValue(), out.text(), err.text(), peak.get(), samples.get());
  }

  /** The agent jar under test: a copy (taken once) of {@code gevent4j.agent.jar}, so a rebuild cannot tear it. */
  public static synchronized Path agentJar() {
    if (agentJarCopy != null) {
      return agentJarCopy;
    }
    String value = System.getProperty("gevent4j.agent.jar");
    if (value == null || value.isBlank()) {
      return fail("system property gevent4j.agent.jar is not set: run these tests through Maven "
          + "(mvn -pl third-party-tests test, or bin/test)");
    }
    Path jar = Path.of(value).toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      return fail("the gevent4j agent jar " + jar + " does not exist: build it first (mvn -pl agent -am package, or bin/test)");
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        Path dir = Files.createDirectories(Path.of("target", "thirdparty-agent").toAbsolutePath());
        Path copy = dir.resolve(jar.getFileName());
        Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
        try (JarFile check = new JarFile(copy.toFile())) {
          if (check.getManifest() == null || check.getManifest().getMainAttributes().getValue("Premain-Class") == null) {
            throw new IOException("no Premain-Class in its manifest");
          }
        }
        agentJarCopy = copy;
        return copy;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          return fail("the gevent4j agent jar " + jar + " is not a usable agent jar (" + e + "): rebuild it");
        }
        try {
          Thread.sleep(2_000); // perhaps still being written by a build
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return fail("interrupted while waiting for the agent jar " + jar);
        }
      }
    }
  }

  private static String classPath() {
    String value = System.getProperty("gevent4j.thirdparty.classpath");
    if (value == null || value.isBlank()) {
      return fail("system property gevent4j.thirdparty.classpath is not set: run these tests through Maven "
          + "(mvn -pl third-party-tests test, or bin/test)");
    }
    return value;
  }

  /** {@code jcmd Thread.print} and {@code jcmd Thread.dump_to_file -format=text}; says where they went. */
  private static String dumpThreads(long pid) {
    try {
      Path dir = Files.createDirectories(Path.of(System.getProperty("gevent4j.thirdparty.dumps", "target/thirdparty-dumps"))
          .toAbsolutePath());
      String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
      Path print = dir.resolve("thread-print-" + pid + ".txt");
      Path all = dir.resolve("thread-dump-" + pid + ".txt");
      Files.deleteIfExists(all);
      jcmd(new ProcessBuilder(jcmd, Long.toString(pid), "Thread.print").redirectOutput(print.toFile()));
      jcmd(new ProcessBuilder(jcmd, Long.toString(pid), "Thread.dump_to_file", "-format=text", all.toString())
          .redirectOutput(ProcessBuilder.Redirect.DISCARD));
      return "thread dumps: " + print + " (platform threads), " + all + " (with virtual threads)";
    } catch (IOException | RuntimeException e) {
      return "no thread dump: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "no thread dump (interrupted)";
    }
  }

  private static void jcmd(ProcessBuilder pb) throws IOException, InterruptedException {
    Process p = pb.redirectErrorStream(true).start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
  }

  private static String abbreviate(String text) {
    int max = 20_000;
    return text.length() <= max ? text
        : text.substring(0, max / 2) + "\n[... " + (text.length() - max) + " characters left out ...]\n"
            + text.substring(text.length() - max / 2);
  }

  /** Reads a stream to its end on a platform thread of its own. */
  private static final class Drain {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final Thread thread;

    private Drain(InputStream in, String name) {
      thread = Thread.ofPlatform().daemon().name(name).unstarted(() -> {
        byte[] chunk = new byte[8192];
        try (in) {
          int n;
          while ((n = in.read(chunk)) > 0) {
            synchronized (buffer) {
              buffer.write(chunk, 0, n);
            }
          }
        } catch (IOException e) {
          // the child is gone
        }
      });
    }

    static Drain start(InputStream in, String name) {
      Drain d = new Drain(in, name);
      d.thread.start();
      return d;
    }

    void join(long millis) throws InterruptedException {
      thread.join(millis);
    }

    String text() {
      synchronized (buffer) {
        return buffer.toString(StandardCharsets.UTF_8);
      }
    }
  }
}

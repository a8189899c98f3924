package gevent4j.it.harness;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A child JVM running one application of this module, with or without the gevent4j agent:
 * {@code <java.home>/bin/java [-javaagent:<jar>[=<args>]] [-D...] -cp <gevent4j.it.classpath> <main> <args>}.
 *
 * <p>Both output streams are drained completely by threads of their own from the start, so the
 * child never blocks on a full pipe, and stdout can be watched line by line while the child runs
 * ({@link #awaitStdoutLine}). Every wait has a deadline: a child still running at its deadline is
 * thread-dumped (to {@code target/it-dumps}), killed, and the test fails with everything it
 * printed. Use it with try-with-resources so no child outlives its test.
 *
 * <p>The child's environment is the test JVM's minus every variable that would configure gevent4j
 * or the JVM behind the test's back ({@code GEVENT*}, {@code PYTHONTRACEMALLOC},
 * {@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS}, {@code _JAVA_OPTIONS}); the builder adds
 * back exactly what a test asks for.
 */
public final class AgentJvm implements AutoCloseable {
  /** Default deadline for a whole run: generous, the tests check behaviour, not speed. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

  private static final Pattern LISTENING = Pattern.compile("listening on (\\d+)");

  private final String description;
  private final Process process;
  private final Output stdout;
  private final Output stderr;
  private final Writer stdin;
  private final Duration timeout;

  private AgentJvm(String description, Process process, Writer stdin, Duration timeout) {
    this.description = description;
    this.process = process;
    this.stdout = new Output(process.getInputStream(), "stdout-" + process.pid());
    this.stderr = new Output(process.getErrorStream(), "stderr-" + process.pid());
    this.stdin = stdin;
    this.timeout = timeout;
  }

  /** A builder for a child JVM running {@code mainClass} (an application of this module). */
  public static Builder app(Class<?> mainClass) {
    return new Builder(List.of("-cp", classPath(), mainClass.getName()));
  }

  /** A builder for a child JVM running {@code mainClass} of the examples jar (system property {@code gevent4j.examples.jar}). */
  public static Builder example(String mainClass) {
    String jar = System.getProperty("gevent4j.examples.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      return fail("the examples jar (system property gevent4j.examples.jar = " + jar + ") is missing: build it "
          + "(mvn -pl examples package, or bin/test)");
    }
    return new Builder(List.of("-cp", jar, mainClass));
  }

  /** A builder for {@code java -jar gevent4j-agent.jar <args>} (the agent's command line tool). */
  public static Builder agentJarCommand(String... args) {
    List<String> command = new ArrayList<>(List.of("-jar", agentJar().toString()));
    command.addAll(List.of(args));
    return new Builder(command).noAgent();
  }

  /**
   * The agent jar under test: a copy, taken at first use, of the jar named by the system property
   * {@code gevent4j.agent.jar}, so that a rebuild of the agent while the tests run cannot hand
   * half a jar to some of them. Fails the test (never skips it) when the property is unset or the
   * jar is missing or not a readable jar; waits up to three minutes for a jar that is still being written.
   */
  public static synchronized Path agentJar() {
    if (agentJarCopy == null) {
      agentJarCopy = copyAgentJar();
    }
    return agentJarCopy;
  }

  private static Path agentJarCopy;

  private static Path copyAgentJar() {
    String value = System.getProperty("gevent4j.agent.jar");
    if (value == null || value.isBlank()) {
      return fail("system property gevent4j.agent.jar is not set: run the integration tests through Maven "
          + "(mvn -pl integration-tests test, or bin/test), which sets it from the pom");
    }
    Path jar = Path.of(value).toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      return fail("the gevent4j agent jar is missing: " + jar
          + " does not exist. Build it first (mvn -pl agent -am package, or bin/test)");
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (true) {
      try {
        Path dir = Files.createDirectories(Path.of("target", "it-agent").toAbsolutePath());
        Path copy = dir.resolve(jar.getFileName());
        Files.copy(jar, copy, StandardCopyOption.REPLACE_EXISTING);
        try (JarFile check = new JarFile(copy.toFile())) {
          if (check.getManifest() == null || check.getManifest().getMainAttributes().getValue("Premain-Class") == null) {
            throw new IOException("no Premain-Class in its manifest");
          }
        }
        return copy;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          return fail("the gevent4j agent jar " + jar + " is not a usable agent jar (" + e
              + "). Rebuild it (mvn -pl agent -am package, or bin/test)");
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

  /** The class path of the applications, from the system property {@code gevent4j.it.classpath}. */
  public static String classPath() {
    String value = System.getProperty("gevent4j.it.classpath");
    if (value == null || value.isBlank()) {
      return fail("system property gevent4j.it.classpath is not set: run the integration tests through Maven "
          + "(mvn -pl integration-tests test, or bin/test), which sets it from the pom");
    }
    return value;
  }

  /** The child's process id. */
  public long pid() {
    return process.pid();
  }

  /** Whether the child is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The child's stdin, if the builder asked for {@link Builder#stdinPipe()}. */
  public Writer stdin() {
    if (stdin == null) {
      throw new IllegalStateException("this child's stdin is not a pipe: use Builder.stdinPipe()");
    }
    return stdin;
  }

  /** Writes {@code text} to the child's stdin pipe and flushes it. */
  public void write(String text) {
    try {
      stdin().write(text);
      stdin().flush();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to the stdin of " + description + " failed", e);
    }
  }

  /** Closes the child's stdin pipe: the child reads end of file. */
  public void closeStdin() {
    try {
      stdin().close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Everything the child wrote to stdout so far. */
  public String stdoutSoFar() {
    return stdout.text();
  }

  /** Everything the child wrote to stderr so far. */
  public String stderrSoFar() {
    return stderr.text();
  }

  /** Waits (up to the run's timeout) for a stdout line matching {@code pattern} entirely. */
  public Matcher awaitStdoutLine(Pattern pattern) {
    return awaitStdoutLine(pattern, timeout);
  }

  /**
   * Waits for the first stdout line matching {@code pattern} entirely (lines printed earlier count
   * too); fails with the captured output if the child ends or {@code within} passes first.
   */
  public Matcher awaitStdoutLine(Pattern pattern, Duration within) {
    Optional<String> line;
    try {
      line = stdout.awaitLine(l -> pattern.matcher(l).matches(), System.nanoTime() + within.toNanos());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (line.isEmpty()) {
      String why = process.isAlive() ? "not printed within " + within.toSeconds() + " s" : "the child exited first";
      failAndKill("expected a stdout line matching /" + pattern + "/: " + why);
    }
    Matcher matcher = pattern.matcher(line.get());
    matcher.matches();
    return matcher;
  }

  /** Waits for {@code listening on <port>} and returns the port. */
  public int awaitListeningPort() {
    return Integer.parseInt(awaitStdoutLine(LISTENING).group(1));
  }

  /** The child's current {@code /proc/<pid>/status}; fails if it cannot be read. */
  public ProcStatus procStatus() {
    return ProcStatus.read(pid()).orElseGet(() -> fail("cannot read /proc/" + pid() + "/status of " + description));
  }

  /** The child's soft limit of open files, from {@code /proc/<pid>/limits}. */
  public long maxOpenFiles() {
    return ProcStatus.maxOpenFiles(pid());
  }

  /** Waits for the child to exit within the run's timeout. */
  public RunResult awaitExit() {
    return awaitExit(timeout);
  }

  /**
   * Waits for the child to exit and for both streams to be drained; if it is still running after
   * {@code within}, dumps its threads, kills it and fails with the captured output.
   */
  public RunResult awaitExit(Duration within) {
    try {
      if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
        failAndKill("still running after " + within.toSeconds() + " s");
      }
      // The child may have left a grandchild holding the pipes; do not wait forever for them.
      stdout.awaitEnd(10_000);
      stderr.awaitEnd(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return result();
  }

  /**
   * Sends SIGTERM, as an operator stopping a container would. Through the process handle:
   * {@code Process.destroy()} would also close our ends of the child's output pipes.
   */
  public void terminate() {
    process.toHandle().destroy();
  }

  /** Kills the child (it is expected to run forever) and returns what it printed. */
  public RunResult kill() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
      stdout.awaitEnd(10_000);
      stderr.awaitEnd(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return result();
  }

  private RunResult result() {
    return new RunResult(description, process.isAlive() ? Integer.MIN_VALUE : process.exitValue(),
        stdout.text(), stderr.text());
  }

  private void failAndKill(String why) {
    String dump = dumpThreads();
    RunResult result = kill();
    fail(description + ": " + why + dump + "\n" + result);
  }

  /** Saves a thread dump of the child (greenlets included); see {@link ThreadDumps#save}. */
  public String dumpThreads() {
    return process.isAlive() ? ThreadDumps.save(pid()) : "";
  }

  /** Kills the child if it still runs. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      kill();
    }
  }

  @Override
  public String toString() {
    return description;
  }

  private static Path javaHome() {
    return Path.of(System.getProperty("java.home"));
  }

  /** Everything a child JVM is started with. */
  public static final class Builder {
    private static final List<String> SCRUBBED_PREFIXES =
        List.of("GEVENT", "PYTHONTRACEMALLOC", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

    private final List<String> command;
    private final List<String> args = new ArrayList<>();
    private final List<String> jvmArgs = new ArrayList<>();
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private boolean agent;
    private String agentArgs;
    private String stdinContent;
    private boolean stdinPipe;
    private Duration timeout = DEFAULT_TIMEOUT;

    private Builder(List<String> command) {
      this.command = command;
    }

    /** Application arguments. */
    public Builder args(String... values) {
      args.addAll(List.of(values));
      return this;
    }

    /** Runs under the agent with no agent arguments. */
    public Builder agent() {
      agent = true;
      agentArgs = null;
      return this;
    }

    /** Runs under the agent with {@code -javaagent:<jar>=<arguments>}. */
    public Builder agent(String arguments) {
      agent = true;
      agentArgs = arguments;
      return this;
    }

    /** Runs under the agent with {@code loop=<name>}. */
    public Builder loop(String name) {
      return agent("loop=" + name);
    }

    /** Runs without the agent (the default). */
    public Builder noAgent() {
      agent = false;
      agentArgs = null;
      return this;
    }

    /** Adds {@code -D<name>=<value>} before the main class. */
    public Builder systemProperty(String name, String value) {
      systemProperties.put(name, value);
      return this;
    }

    /** Adds a raw JVM option before the main class. */
    public Builder jvmArg(String arg) {
      jvmArgs.add(arg);
      return this;
    }

    /** Sets an environment variable of the child. */
    public Builder env(String name, String value) {
      env.put(name, value);
      return this;
    }

    /** Sets the child's {@code JAVA_TOOL_OPTIONS}. */
    public Builder javaToolOptions(String value) {
      return env("JAVA_TOOL_OPTIONS", value);
    }

    /** The child reads {@code content} from stdin, then end of file. */
    public Builder stdin(String content) {
      stdinContent = content;
      stdinPipe = false;
      return this;
    }

    /** The child's stdin stays open as a pipe the test writes to ({@link AgentJvm#write}). */
    public Builder stdinPipe() {
      stdinPipe = true;
      stdinContent = null;
      return this;
    }

    /** The deadline of {@link AgentJvm#awaitExit()} and {@link AgentJvm#awaitStdoutLine(Pattern)}. */
    public Builder timeout(Duration value) {
      timeout = value;
      return this;
    }

    /** The full command line. */
    public List<String> commandLine() {
      List<String> line = new ArrayList<>();
      line.add(javaHome().resolve("bin").resolve("java").toString());
      if (agent) {
        line.add("-javaagent:" + agentJar() + (agentArgs == null ? "" : "=" + agentArgs));
      }
      line.addAll(jvmArgs);
      systemProperties.forEach((k, v) -> line.add("-D" + k + "=" + v));
      line.addAll(command);
      line.addAll(args);
      return line;
    }

    /** Starts the child. */
    public AgentJvm start() {
      List<String> line = commandLine();
      ProcessBuilder pb = new ProcessBuilder(line);
      pb.environment().keySet().removeIf(k -> SCRUBBED_PREFIXES.stream().anyMatch(k::startsWith));
      pb.environment().putAll(env);
      String description = (env.isEmpty() ? "" : env + " ") + String.join(" ", line);
      Process process;
      try {
        process = pb.start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start " + description, e);
      }
      Writer writer = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      AgentJvm jvm = new AgentJvm(description, process, stdinPipe ? writer : null, timeout);
      if (!stdinPipe) {
        String content = stdinContent == null ? "" : stdinContent;
        // A thread of its own: a child that reads its stdin late must not block the test.
        Thread.ofPlatform().daemon().name("stdin-" + process.pid()).start(() -> {
          try (writer) {
            writer.write(content);
          } catch (IOException e) {
            // The child exited before reading all of its stdin: its output says why.
          }
        });
      }
      return jvm;
    }

    /** Starts the child and waits for it to exit within the timeout. */
    public RunResult run() {
      try (AgentJvm jvm = start()) {
        return jvm.awaitExit();
      }
    }
  }
}

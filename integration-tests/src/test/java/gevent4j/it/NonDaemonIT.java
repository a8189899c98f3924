package gevent4j.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.it.apps.NonDaemonApp;
import gevent4j.it.harness.AgentJvm;
import gevent4j.it.harness.RunResult;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Non-daemon threads keep the JVM alive after {@code main} returns, daemon threads do not, and
 * an {@code Executors.newFixedThreadPool} never shut down keeps it alive for good: platform-thread
 * semantics that greenlets (virtual threads, always daemons to the JDK) must emulate. Each case
 * runs under every loop and, as the reference, without the agent ({@code none}).
 */
class NonDaemonIT {
  private static final String NO_AGENT = "none";

  static Stream<String> modes() {
    return Stream.concat(gevent4j.it.harness.Loops.all().stream(), Stream.of(NO_AGENT));
  }

  private static AgentJvm.Builder app(String loop, String mode) {
    AgentJvm.Builder builder = AgentJvm.app(NonDaemonApp.class).args(mode);
    return loop.equals(NO_AGENT) ? builder : builder.loop(loop);
  }

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("modes")
  void nonDaemonWorkerKeepsJvmAlive(String loop) {
    RunResult result = app(loop, "nondaemon").run().assertSucceeded("main returns", "worker done");
    assertInOrder(result, "main returns", "worker done");
  }

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("modes")
  void chainOfNonDaemonWorkersKeepsJvmAlive(String loop) {
    RunResult result = app(loop, "chain").run().assertSucceeded("main returns", "first worker ends", "worker done");
    assertInOrder(result, "main returns", "worker done");
  }

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("modes")
  void daemonWorkerDoesNotKeepJvmAlive(String loop) {
    // The worker sleeps 30 s: a JVM that waited for it would print "worker done".
    app(loop, "daemon").run().assertSucceeded("main returns")
        .assertStdoutLacks("worker done");
  }

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("modes")
  void fixedThreadPoolWithoutShutdownKeepsJvmAlive(String loop) {
    try (AgentJvm jvm = app(loop, "pool").start()) {
      jvm.awaitStdoutLine(Pattern.compile("task done"));
      jvm.awaitStdoutLine(Pattern.compile("main returns"));
      await("the JVM stays alive with an idle fixed pool")
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(30))
          .until(jvm::isAlive);
      RunResult result = jvm.kill();
      assertTrue(result.stderr().isEmpty(), () -> "expected an empty stderr\n" + result);
    }
  }

  private static void assertInOrder(RunResult result, String first, String second) {
    List<String> lines = result.stdoutLines();
    assertTrue(lines.indexOf(first) < lines.indexOf(second),
        () -> "expected '" + first + "' before '" + second + "'\n" + result);
  }
}

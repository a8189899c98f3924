package gevent4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gevent4j.it.apps.ShutdownHookApp;
import gevent4j.it.harness.AgentJvm;
import gevent4j.it.harness.RunResult;
import java.time.Duration;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Shutdown hooks that the application creates with {@code new Thread} keep working as platform
 * threads do, even when a greenlet spinning without a pause has wedged the Hub: an operator's
 * SIGTERM must still run the hooks and stop the JVM (found running httpcore5's own test suite under
 * the agent, where only SIGKILL could stop such a JVM). Each case also runs without the agent as
 * the reference.
 */
class ShutdownHookIT {
  private static final String NO_AGENT = "none";

  static Stream<String> modes() {
    return Stream.concat(gevent4j.it.harness.Loops.all().stream(), Stream.of(NO_AGENT));
  }

  private static AgentJvm.Builder app(String loop, String mode) {
    AgentJvm.Builder builder = AgentJvm.app(ShutdownHookApp.class).args(mode);
    return loop.equals(NO_AGENT) ? builder : builder.loop(loop);
  }

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("modes")
  void sigtermRunsHooksAndStopsAJvmWhoseHubIsWedged(String loop) {
    try (AgentJvm jvm = app(loop, "wedged").start()) {
      jvm.awaitStdoutLine(Pattern.compile("wedged"));
      jvm.terminate();
      RunResult result = jvm.awaitExit(Duration.ofSeconds(30));
      result.assertStdoutContains("hook ran");
      result.assertStdoutContains("spinner virtual=" + !loop.equals(NO_AGENT));
      // 128 + SIGTERM, as for any JVM stopped by SIGTERM.
      assertEquals(143, result.exitCode(), result::toString);
    }
  }

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("modes")
  void registeringAndRemovingHooksBehavesAsTheJdkSays(String loop) {
    app(loop, "registry").run()
        .assertSucceeded("second add: Hook previously registered", "remove: true", "remove again: false",
            "main returns", "hook ran virtual=false")
        .assertStdoutLacks("removed hook ran");
  }
}

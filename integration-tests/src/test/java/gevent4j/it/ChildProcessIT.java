package gevent4j.it;

import gevent4j.it.apps.ChildProcessApp;
import gevent4j.it.harness.AgentJvm;
import gevent4j.it.harness.RunResult;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code Process.waitFor()} and {@code onExit()} in greenlets never block the Hub, on every loop,
 * with the JDK's own reaper code still the only code reaping children (gevent's libev child
 * watchers race it; gevent4j's loops install no SIGCHLD handling, and child watching only tells
 * the JDK's task when to run: {@link ChildWatchIT}). The reference run is without the agent.
 */
class ChildProcessIT {
  private static final String NO_AGENT = "none";
  private static final int WAITERS = 8;

  static Stream<String> modes() {
    return Stream.concat(gevent4j.it.harness.Loops.all().stream(), Stream.of(NO_AGENT));
  }

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("modes")
  void waitingForChildrenLetsOtherGreenletsRun(String loop) {
    AgentJvm.Builder builder = AgentJvm.app(ChildProcessApp.class).args(String.valueOf(WAITERS));
    RunResult result = (loop.equals(NO_AGENT) ? builder : builder.loop(loop)).run();
    String[] expected = Stream.concat(
        IntStream.range(0, WAITERS).mapToObj(i -> "waiter " + i + " exit=0 ticked=true"),
        Stream.of("done")).toArray(String[]::new);
    result.assertSucceeded(expected);
  }
}

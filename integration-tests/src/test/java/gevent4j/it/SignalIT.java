package gevent4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gevent4j.it.apps.SignalApp;
import gevent4j.it.harness.AgentJvm;
import gevent4j.it.harness.RunResult;
import java.io.IOException;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Signal handlers the application registers with {@code sun.misc.Signal} run as greenlets on
 * every loop (the loop seed page: libuv gevent only sees signals on a 0.3 s timer), one run per
 * signal, in order, while main is blocked. (The JDK's own SIGTERM handling keeps its platform
 * thread: {@link ShutdownHookIT}.)
 */
class SignalIT {
  private static final String NO_AGENT = "none";
  private static final int SIGNALS = 5;

  static Stream<String> modes() {
    return Stream.concat(gevent4j.it.harness.Loops.all().stream(), Stream.of(NO_AGENT));
  }

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("modes")
  void applicationHandlersRunAsGreenletsOncePerSignal(String loop) throws Exception {
    AgentJvm.Builder builder = AgentJvm.app(SignalApp.class).args(String.valueOf(SIGNALS));
    try (AgentJvm jvm = (loop.equals(NO_AGENT) ? builder : builder.loop(loop)).start()) {
      jvm.awaitStdoutLine(Pattern.compile("ready"));
      for (int i = 1; i <= SIGNALS; i++) {
        // One at a time: the kernel merges a standard signal that is already pending.
        sendUsr2(jvm.pid());
        jvm.awaitStdoutLine(Pattern.compile("handled " + i + " .*"));
      }
      RunResult result = jvm.awaitExit();
      boolean virtual = !loop.equals(NO_AGENT);
      result.assertSucceeded("handled 1 virtual=" + virtual + " name=SIGUSR2 handler signal=USR2", "done");
      assertEquals(SIGNALS, result.stdoutLines().stream().filter(l -> l.startsWith("handled ")).count(),
          result::toString);
    }
  }

  private static void sendUsr2(long pid) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-USR2", Long.toString(pid)).inheritIO().start();
    assertEquals(0, kill.waitFor(), "kill -USR2 " + pid);
  }
}

package gevent4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gevent4j.it.apps.OwnJnrApp;
import gevent4j.it.harness.AgentJvm;
import gevent4j.it.harness.RunResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An application with its own JNR-FFI and jffi works beside the agent's on every loop, including
 * the two whose own JNR and jffi are loaded first (libev, libuv): the same output, and the same
 * stderr as without the agent (jffi's own JDK warnings are the application's, and appear in both).
 */
class OwnJnrIT {

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void worksBesideTheAgentsOwnJnr(String loop) {
    RunResult without = AgentJvm.app(OwnJnrApp.class).run().assertExitZero();
    RunResult with = AgentJvm.app(OwnJnrApp.class).loop(loop).run()
        .assertExitZero()
        .assertStdoutHasLines("getpid matches=true", "strlen=8", "OWN_JNR_APP OK");
    assertEquals(without.stdout(), with.stdout(), () -> "stdout differs from the run without agent\n" + with);
    assertEquals(without.stderr(), with.stderr(), () -> "stderr differs from the run without agent\n" + with);
  }
}

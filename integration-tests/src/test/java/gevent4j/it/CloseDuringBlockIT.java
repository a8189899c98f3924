package gevent4j.it;

import gevent4j.it.apps.CloseDuringBlockApp;
import gevent4j.it.harness.AgentJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Closing a socket wakes the thread blocked in {@code read} or {@code accept} on it; fd reuse
 * afterwards works.
 */
class CloseDuringBlockIT {
  private static final String[] EXPECTED = {
    "read-close ok=200",
    "accept-close ok=200",
    "after-close ok=200",
    "CLOSE_DURING_BLOCK_APP OK"
  };

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void passesUnderAgent(String loop) {
    AgentJvm.app(CloseDuringBlockApp.class).loop(loop).run().assertSucceeded(EXPECTED);
  }

  @Test
  void passesWithoutAgent() {
    AgentJvm.app(CloseDuringBlockApp.class).run().assertSucceeded(EXPECTED);
  }
}

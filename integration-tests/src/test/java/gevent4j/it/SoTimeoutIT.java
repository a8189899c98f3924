package gevent4j.it;

import gevent4j.it.apps.SoTimeoutApp;
import gevent4j.it.harness.AgentJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code setSoTimeout} on reads and on {@code accept} still times out, and the sockets stay
 * usable.
 */
class SoTimeoutIT {
  private static final String[] EXPECTED = {
    "read-timeout ok=51",
    "accept-timeout ok=51",
    "SO_TIMEOUT_APP OK"
  };

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void passesUnderAgent(String loop) {
    AgentJvm.app(SoTimeoutApp.class).loop(loop).run().assertSucceeded(EXPECTED);
  }

  @Test
  void passesWithoutAgent() {
    AgentJvm.app(SoTimeoutApp.class).run().assertSucceeded(EXPECTED);
  }
}

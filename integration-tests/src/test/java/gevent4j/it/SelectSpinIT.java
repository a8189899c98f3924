package gevent4j.it;

import gevent4j.it.apps.SelectSpinApp;
import gevent4j.it.harness.AgentJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A greenlet spinning on {@code Selector.select} with ready keys must not starve the others (found
 * running apache/httpcomponents-core's own integration tests under the agent: its TLS close spins
 * on OP_WRITE until the peer, another greenlet, answers).
 */
class SelectSpinIT {
  private static final String[] EXPECTED = {"ticker kept running=true", "SELECT_SPIN_APP OK"};

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void passesUnderAgent(String loop) {
    AgentJvm.app(SelectSpinApp.class).loop(loop).run().assertSucceeded(EXPECTED);
  }

  @Test
  void passesWithoutAgent() {
    AgentJvm.app(SelectSpinApp.class).run().assertSucceeded(EXPECTED);
  }
}

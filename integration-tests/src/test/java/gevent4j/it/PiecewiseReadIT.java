package gevent4j.it;

import gevent4j.it.apps.PiecewiseReadApp;
import gevent4j.it.harness.AgentJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Socket streams read in pieces arrive whole: the skipped read after a short read (the
 * {@code NioSocketImpl.tryRead} patch) never loses, reorders or stalls data, whatever the mix of
 * short reads, full reads and data already waiting.
 */
class PiecewiseReadIT {
  private static final String[] EXPECTED = {
    "large ok=8", "large bytes=8388608",
    "paused ok=8",
    "bytewise ok=8", "bytewise bytes=16000",
    "trickle ok=8", "trickle bytes=4000",
    "burst ok=8",
    "echo ok=8",
    "PIECEWISE_READ_APP OK"
  };

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void passesUnderAgent(String loop) {
    AgentJvm.app(PiecewiseReadApp.class).loop(loop).run().assertSucceeded(EXPECTED);
  }

  @Test
  void passesWithoutAgent() {
    AgentJvm.app(PiecewiseReadApp.class).run().assertSucceeded(EXPECTED);
  }
}

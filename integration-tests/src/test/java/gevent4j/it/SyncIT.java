package gevent4j.it;

import gevent4j.it.apps.SyncApp;
import gevent4j.it.harness.AgentJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code synchronized} contention among 200 threads, {@code wait}/{@code notify} ping-pong and a
 * bounded buffer.
 */
class SyncIT {
  private static final String[] EXPECTED = {
    "counter=2000000 expected=2000000",
    "pingpong turns=20000",
    "buffer sum=800020000 expected=800020000",
    "SYNC_APP OK"
  };

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void passesUnderAgent(String loop) {
    AgentJvm.app(SyncApp.class).loop(loop).run().assertSucceeded(EXPECTED);
  }

  @Test
  void passesWithoutAgent() {
    AgentJvm.app(SyncApp.class).run().assertSucceeded(EXPECTED);
  }
}

package gevent4j.it;

import gevent4j.it.apps.SleepApp;
import gevent4j.it.harness.AgentJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 1,000 threads in {@code Thread.sleep}, {@code parkNanos}, timed {@code Object.wait} and {@code
 * sleep(0)}: all wake, none early.
 */
class SleepIT {
  private static final String[] EXPECTED = {
    "sleep woke=1000 early=0",
    "parkNanos woke=1000 early=0",
    "wait woke=1000 early=0",
    "sleep0 woke=1000 early=0",
    "SLEEP_APP OK"
  };

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void passesUnderAgent(String loop) {
    AgentJvm.app(SleepApp.class).loop(loop).run().assertSucceeded(EXPECTED);
  }

  @Test
  void passesWithoutAgent() {
    AgentJvm.app(SleepApp.class).run().assertSucceeded(EXPECTED);
  }
}

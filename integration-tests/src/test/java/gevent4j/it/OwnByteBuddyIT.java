package gevent4j.it;

import gevent4j.it.apps.OwnByteBuddyApp;
import gevent4j.it.harness.AgentJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An application with its own unshaded Byte Buddy 1.17.8 works the same with and without the
 * agent.
 */
class OwnByteBuddyIT {
  private static final String[] EXPECTED = {
    "bytebuddy jar=byte-buddy-1.17.8.jar",
    "toString=made by ByteBuddy",
    "greet=intercepted(hello world, 5)",
    "OWN_BYTEBUDDY_APP OK"
  };

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void passesUnderAgent(String loop) {
    AgentJvm.app(OwnByteBuddyApp.class).loop(loop).run().assertSucceeded(EXPECTED);
  }

  @Test
  void passesWithoutAgent() {
    AgentJvm.app(OwnByteBuddyApp.class).run().assertSucceeded(EXPECTED);
  }
}

package gevent4j.it;

import gevent4j.it.apps.ThreadSubclassApp;
import gevent4j.it.harness.AgentJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code Thread} subclasses stay platform threads; {@code new Thread(r)} is a greenlet under the
 * agent; the agent publishes the active loop as the system property {@code gevent4j.loop}.
 */
class ThreadSubclassIT {

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void onlyPlainThreadsBecomeGreenlets(String loop) {
    AgentJvm.app(ThreadSubclassApp.class).loop(loop).run()
        .assertSucceeded("subclass virtual=false plain virtual=true", "anonymous-subclass virtual=false",
            "gevent4j.loop=" + loop);
  }

  @Test
  void allPlatformWithoutAgent() {
    AgentJvm.app(ThreadSubclassApp.class).run()
        .assertSucceeded("subclass virtual=false plain virtual=false", "anonymous-subclass virtual=false",
            "gevent4j.loop=null");
  }
}

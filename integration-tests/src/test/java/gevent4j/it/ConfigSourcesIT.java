package gevent4j.it;

import gevent4j.it.apps.ThreadSubclassApp;
import gevent4j.it.harness.AgentJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The valid ways to configure the agent: none at all (a default run prints nothing on stderr),
 * the {@code GEVENT_LOOP} environment variable and the {@code -Dgevent.loop} system property. The
 * agent publishes the loop it runs as {@code gevent4j.loop}.
 */
class ConfigSourcesIT {

  @Test
  void defaultRunPrintsNothingOnStderr() {
    AgentJvm.app(ThreadSubclassApp.class).agent().run()
        .assertSucceeded("subclass virtual=false plain virtual=true")
        .assertStdoutLacks("gevent4j.loop=null");
  }

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void loopFromEnvironment(String loop) {
    AgentJvm.app(ThreadSubclassApp.class).agent().env("GEVENT_LOOP", loop).run()
        .assertSucceeded("subclass virtual=false plain virtual=true", "gevent4j.loop=" + loop);
  }

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void loopFromSystemProperty(String loop) {
    AgentJvm.app(ThreadSubclassApp.class).agent().systemProperty("gevent.loop", loop).run()
        .assertSucceeded("subclass virtual=false plain virtual=true", "gevent4j.loop=" + loop);
  }
}

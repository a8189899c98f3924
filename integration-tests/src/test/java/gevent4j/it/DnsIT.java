package gevent4j.it;

import gevent4j.it.apps.DnsApp;
import gevent4j.it.harness.AgentJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code InetAddress} lookups (localhost, literals, an unknown name) from 50 threads at once.
 */
class DnsIT {
  private static final String[] EXPECTED = {
    "localhost ok=50",
    "literal ok=50",
    "unknown ok=50",
    "DNS_APP OK"
  };

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void passesUnderAgent(String loop) {
    AgentJvm.app(DnsApp.class).loop(loop).run().assertSucceeded(EXPECTED);
  }

  @Test
  void passesWithoutAgent() {
    AgentJvm.app(DnsApp.class).run().assertSucceeded(EXPECTED);
  }
}

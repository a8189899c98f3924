package gevent4j.it;

import gevent4j.it.apps.EchoLoadApp;
import gevent4j.it.apps.EchoServerApp;
import gevent4j.it.harness.AgentJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The thread-per-connection echo server, under the agent and without, with a modest load. */
class EchoServerIT {
  private static final int CONNECTIONS = 200;
  private static final int ROUNDS = 3;
  private static final int SIZE = 4096;

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void echoesEveryByteUnderAgent(String loop) {
    echoesEveryByte(AgentJvm.app(EchoServerApp.class).loop(loop));
  }

  @Test
  void echoesEveryByteWithoutAgent() {
    echoesEveryByte(AgentJvm.app(EchoServerApp.class));
  }

  private static void echoesEveryByte(AgentJvm.Builder server) {
    long bytes = (long) CONNECTIONS * ROUNDS * SIZE;
    try (AgentJvm jvm = server.args(Integer.toString(CONNECTIONS)).start()) {
      int port = jvm.awaitListeningPort();
      AgentJvm.app(EchoLoadApp.class)
          .args("127.0.0.1", Integer.toString(port), Integer.toString(CONNECTIONS), Integer.toString(ROUNDS),
              Integer.toString(SIZE))
          .run()
          .assertSucceeded("RESULT connections=" + CONNECTIONS + " bytes_verified=" + bytes + " errors=0");
      jvm.awaitExit()
          .assertSucceeded("served connections=" + CONNECTIONS + " bytes=" + bytes + " errors=0");
    }
  }
}

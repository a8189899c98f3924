package gevent4j.it;

import gevent4j.it.apps.InterruptReadApp;
import gevent4j.it.harness.AgentJvm;
import gevent4j.it.harness.RunResult;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Interrupting blocked reads: {@code SocketChannel.read} gives {@code ClosedByInterruptException}
 * in both modes; a {@code Socket} read behaves as the JDK specifies for the kind of thread, which
 * is virtual under the agent (socket closed, {@code SocketException}) and platform without it
 * (stays blocked).
 */
class InterruptReadIT {

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void interruptsUnderAgent(String loop) {
    RunResult result = AgentJvm.app(InterruptReadApp.class).loop(loop).run()
        .assertExitZero()
        .assertStdoutHasLines("channel-read-interrupt ok=20", "INTERRUPT_READ_APP OK");
    result.stdoutLineMatching(
        Pattern.compile("socket-read-interrupt virtual=true outcome=SocketException closed=true( message=.*)?"));
    result.assertStderrEmpty();
  }

  @Test
  void interruptsWithoutAgent() {
    AgentJvm.app(InterruptReadApp.class).run()
        .assertSucceeded("channel-read-interrupt ok=20",
            "socket-read-interrupt virtual=false outcome=still-blocked closed=false", "INTERRUPT_READ_APP OK");
  }
}

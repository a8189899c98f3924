package gevent4j.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.it.apps.NioApp;
import gevent4j.it.harness.AgentJvm;
import gevent4j.it.harness.RunResult;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * NIO in greenlets: a {@code Selector} echo server serving 100 blocking-{@code SocketChannel}
 * clients, {@code wakeup()} and {@code select(timeout)} with no ready keys, a blocking
 * {@code DatagramChannel} echo with 50 clients, and the application's own virtual threads
 * ({@code Thread.ofVirtual()}, {@code newVirtualThreadPerTaskExecutor()} with 1,000 tasks). Under
 * the agent every one of those threads runs on the Hub: the carrier of every virtual thread is
 * exactly {@code gevent-hub}; without the agent the {@code new Thread} threads are platform
 * threads and the virtual threads run on the JDK's {@code ForkJoinPool}.
 */
class NioIT {
  private static final String[] EXPECTED = {
    "selector-echo clients=100 bytes=307200",
    "wakeup ok",
    "select-timeout ok",
    "udp-echo clients=50 datagrams=1000",
    "vthread-start ok",
    "vthread-executor tasks=1000",
    "NIO_APP OK"
  };
  private static final Pattern FORK_JOIN_CARRIERS =
      Pattern.compile("vthread carriers=ForkJoinPool-\\d+-worker-\\d+(,ForkJoinPool-\\d+-worker-\\d+)*");

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void passesUnderAgent(String loop) {
    AgentJvm.app(NioApp.class).loop(loop).run()
        .assertSucceeded(EXPECTED)
        .assertStdoutHasLines("thread carriers=gevent-hub", "vthread carriers=gevent-hub");
  }

  @Test
  void passesWithoutAgent() {
    RunResult result = AgentJvm.app(NioApp.class).run()
        .assertSucceeded(EXPECTED)
        .assertStdoutHasLines("thread carriers=platform");
    assertTrue(result.stdoutLineMatching(FORK_JOIN_CARRIERS) != null);
  }
}

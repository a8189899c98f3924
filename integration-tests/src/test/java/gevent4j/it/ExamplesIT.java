package gevent4j.it;

import gevent4j.it.harness.AgentJvm;
import gevent4j.it.harness.RunResult;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The greenlet API examples of {@code examples/} (what {@code bin/example} runs) keep working and
 * print what their documentation says, on every loop.
 */
class ExamplesIT {

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void spawnJoinLink(String loop) {
    RunResult r = AgentJvm.example("gevent4j.examples.api.SpawnJoinLink").loop(loop).run().assertExitZero()
        .assertStdoutHasLines("answer = 42", "get() rethrew: java.lang.IllegalStateException: no such thing",
            "linkException: java.lang.IllegalStateException: no such thing", "10 of 10 ready; last says: greenlet 9",
            "killed: true, successful: true");
    r.assertStdoutContains("link: Greenlet[\"Greenlet-1\"", "inside new Thread: Greenlet[\"plain\"");
  }

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void timeout(String loop) {
    AgentJvm.example("gevent4j.examples.api.TimeoutExample").loop(loop).run().assertSucceeded(
        "read: gevent4j timeout of PT0.2S expired; socket closed? false",
        "then read 'x' on the same socket",
        "Timeout.call: timed out after PT0.1S (cause: java.lang.InterruptedException: sleep interrupted)");
  }

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void pool(String loop) {
    RunResult r = AgentJvm.example("gevent4j.examples.api.PoolExample").loop(loop).run()
        .assertSucceeded("imap: /page-0", "imap: /page-1", "imap: /page-2");
    r.stdoutLineMatching(Pattern.compile("map: 20 pages in \\d+ ms, first /page-0, last /page-19"));
  }

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void monitor(String loop) {
    RunResult r = AgentJvm.example("gevent4j.examples.api.MonitorExample")
        .agent("loop=" + loop + ",monitor_thread=true").run().assertExitZero();
    r.stdoutLineMatching(Pattern.compile("blocked-Hub events: [1-9]\\d*"));
    r.assertStdoutContains("request-id = 'req-7'", "periodic: ");
    // The monitor publishes from its own thread, after taking the greenlet's stack: by then the hog
    // may have finished, so its state in the line is whatever it is at that moment.
    r.stdoutLineMatching(Pattern.compile("event: Greenlet\\[\"Greenlet-1\"#\\d+, [a-z]+\\] blocked the Hub for \\d+ ms"));
  }
}

package gevent4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.it.apps.ShortSleepApp;
import gevent4j.it.harness.AgentJvm;
import gevent4j.it.harness.RunResult;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The loop seed page: libuv raises timers under 1 ms to 1 ms "with a warning" on every call. Here
 * no loop fires early; the loops that end their waits through a timerfd do not round at all, and
 * the one that waits in whole milliseconds (jdk) warns once per call site, naming the
 * application's line.
 */
class TimerResolutionIT {

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void subMillisecondWaitsWarnOncePerCallSiteWhereTheLoopRoundsToMilliseconds(String loop) {
    RunResult result = AgentJvm.app(ShortSleepApp.class).loop(loop).run().assertExitZero()
        .assertStdoutHasLines("never early=true", "done");
    List<String> warnings = result.stderrLines();
    if (!roundsToMilliseconds(loop)) {
      assertEquals(List.of(), warnings, () -> "a timerfd loop has nothing to report\n" + result);
      return;
    }
    assertEquals(2, warnings.size(), () -> "expected one warning per call site\n" + result);
    assertTrue(warnings.stream().anyMatch(w -> w.contains("0.200 ms at gevent4j.it.apps.ShortSleepApp")),
        result::toString);
    assertTrue(warnings.stream().anyMatch(w -> w.contains("0.300 ms at gevent4j.it.apps.ShortSleepApp")),
        result::toString);
    assertTrue(warnings.stream().allMatch(w -> w.startsWith("gevent4j: WARN ") && w.contains(loop + " loop")),
        result::toString);
  }

  /** The jdk loop waits in epoll_wait's milliseconds; the native loops end waits with a timerfd. */
  private static boolean roundsToMilliseconds(String loop) {
    return loop.equals("jdk");
  }

  /**
   * A 1 ms sleep woken early is re-parked by the JDK for the rest, and a DelayQueue waits for the
   * rest of its head's delay: short waits the application did not ask for are not reported.
   */
  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void waitsTheJdkComputedFromADeadlineAreNotReported(String loop) {
    AgentJvm.app(ShortSleepApp.class).args("interrupted-sleeps").loop(loop).run().assertSucceeded("done");
  }
}

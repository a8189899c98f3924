package gevent4j.thirdparty.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

/** The assertions every third-party test makes about a run of its application. */
public final class Checks {
  private Checks() {}

  /** Exit 0 and the stdout line {@code resultLine} (which says errors=0). */
  public static void assertAllResultsRight(ChildJvm.Result run, String resultLine) {
    assertEquals(0, run.exitCode(), () -> "expected exit code 0\n" + run);
    assertTrue(run.hasStdoutLine(resultLine), () -> "expected the stdout line '" + resultLine + "'\n" + run);
  }

  /**
   * Under the agent, stderr may hold only lines the same application printed without the agent
   * too (the clients' own notices, e.g. SLF4J's "no binding" lines): the agent adds nothing there.
   */
  public static void assertStderrAddsNothing(ChildJvm.Result underAgent, ChildJvm.Result plain) {
    Set<String> allowed = Set.copyOf(plain.stderrLines());
    List<String> extra = underAgent.stderrLines().stream().filter(l -> !allowed.contains(l)).toList();
    assertTrue(extra.isEmpty(), () -> "stderr under the agent has lines the run without the agent did not print: "
        + extra + "\n" + underAgent + "\nwithout the agent:\n" + plain);
  }

  /** Without the agent every application thread is an OS thread: the sampler must have seen them. */
  public static void assertOneOsThreadPerAppThread(ChildJvm.Result plain, int appThreads) {
    assertTrue(plain.samples() > 0, () -> "no /proc sample of the child was taken\n" + plain);
    assertTrue(plain.peakThreads() >= appThreads, () -> "without the agent the application should run its "
        + appThreads + " threads as OS threads at once, but at most " + plain.peakThreads()
        + " OS threads were seen\n" + plain);
  }

  /** Under the agent the application's threads are greenlets: few OS threads however many app threads. */
  public static void assertFewOsThreads(ChildJvm.Result underAgent, int appThreads, int maxOsThreads) {
    assertTrue(underAgent.samples() > 0, () -> "no /proc sample of the child was taken\n" + underAgent);
    assertTrue(underAgent.peakThreads() < maxOsThreads, () -> "under the agent the application's " + appThreads
        + " threads should be greenlets on fewer than " + maxOsThreads + " OS threads, but "
        + underAgent.peakThreads() + " OS threads were seen\n" + underAgent);
  }
}

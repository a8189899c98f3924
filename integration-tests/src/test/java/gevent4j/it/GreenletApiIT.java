package gevent4j.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.it.apps.GreenletApiApp;
import gevent4j.it.harness.AgentJvm;
import gevent4j.it.harness.RunResult;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An application written against the greenlet API, under the agent on every loop: the API classes
 * come from the boot loader (they are not on the application's class path), every greenlet is a
 * {@code Greenlet}, a {@code Timeout} leaves a socket usable, and the tree dump shows who spawned
 * whom, with {@code format_context} and {@code track_greenlet_tree} in effect.
 */
class GreenletApiIT {

  private static final String[] EXPECTED = {
    "new Thread is a Greenlet",
    "pool and virtual threads are Greenlets",
    "Timeout.Expired from a socket read",
    "the socket stays usable after a Timeout",
    "Timeout.call cut a sleep short",
    "Pool.map [1, 4, 9, 16, 25, 36]",
    "GREENLET_API OK"
  };

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void theApiWorksAndTheTreeShowsWhoSpawnedWhom(String loop) {
    RunResult result = AgentJvm.app(GreenletApiApp.class).loop(loop).run().assertSucceeded(EXPECTED);
    String tree = tree(result);
    assertTrue(tree.contains("Thread \"main\""), tree);
    assertTrue(tree.contains("request = 'r-42'"), tree);
    assertTrue(tree.contains("at gevent4j.it.apps.GreenletApiApp.main(GreenletApiApp.java"), "spawn site\n" + tree);
    // The child is drawn one level below its parent, which the main thread spawned.
    assertTrue(Pattern.compile("(?m)^ \\+--- Greenlet\\[.*\\n(?:.*\\n)*?      \\+--- Greenlet\\[").matcher(tree).find(), tree);
    assertTrue(tree.contains("Hub: gevent-hub, loop " + loop), tree);
  }

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void formatContextRendersTheTreeValues(String loop) {
    RunResult result = AgentJvm.app(GreenletApiApp.class).loop(loop)
        .agent("loop=" + loop + ",format_context=gevent4j.it.apps.UpperFormatter").run().assertSucceeded(EXPECTED);
    assertTrue(tree(result).contains("request = <R-42>"), tree(result));
  }

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void untrackedGreenletsRecordNothing(String loop) {
    RunResult result = AgentJvm.app(GreenletApiApp.class).loop(loop).args("untracked")
        .agent("loop=" + loop + ",track_greenlet_tree=false").run().assertSucceeded(EXPECTED);
    String tree = tree(result);
    assertTrue(tree.contains("spawn tree not tracked"), tree);
    assertTrue(tree.contains("(spawner not recorded"), tree);
    assertTrue(!tree.contains("Spawned at:"), tree);
  }

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void traceMallocShowsWhereTheLoopsNativeMemoryWasAllocated(String loop) {
    String counted = tree(AgentJvm.app(GreenletApiApp.class).loop(loop).run().assertSucceeded(EXPECTED));
    assertTrue(Pattern.compile("Native memory of the loop: [1-9][0-9]* blocks, [1-9][0-9]* bytes: ").matcher(counted).find(), counted);
    assertTrue(counted.contains("(allocation sites: set trace_malloc)"), counted);
    String traced = tree(AgentJvm.app(GreenletApiApp.class).loop(loop).agent("loop=" + loop)
        .env("GEVENT_TRACE_MALLOC", "1").run().assertSucceeded(EXPECTED));
    assertTrue(traced.contains(" allocated at gevent4j//gevent4j.loops."), traced);
  }

  private static String tree(RunResult result) {
    String out = result.stdout();
    int begin = out.indexOf("TREE-BEGIN");
    int end = out.indexOf("TREE-END");
    assertTrue(begin >= 0 && end > begin, "no tree in\n" + result);
    return out.substring(begin, end);
  }
}

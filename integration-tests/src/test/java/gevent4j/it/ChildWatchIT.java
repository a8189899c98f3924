package gevent4j.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.it.apps.ChildWatchApp;
import gevent4j.it.harness.AgentJvm;
import gevent4j.it.harness.Loops;
import gevent4j.it.harness.RunResult;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Child watching ({@code disable_watch_children}, off by default): 200 children, each started and
 * waited for by a greenlet, on every loop. With watching on, no "process reaper" thread exists
 * while they all live and the process keeps a few OS threads; with it set, and without the agent,
 * the JDK gives each live child a reaper thread. Either way every exit reads as the JDK documents
 * it (the exit code, or 128 + the signal), a reaper that must wait for a stream monitor a blocked
 * reader holds never stops the others, and a child started behind the JDK's back is left to its
 * owner to reap ({@link ChildWatchApp}).
 */
class ChildWatchIT {
  private static final int CHILDREN = 200;
  /**
   * The whole process while 200 children live, with the JVM's own GC and JIT thread counts pinned
   * below (they otherwise grow with the machine's cores): the Hub, the JDK's pollers, a few JVM
   * threads. The JDK's reapers alone would be 200.
   */
  private static final int MAX_THREADS_WATCHED = 50;
  private static final Pattern ALIVE = Pattern.compile("alive children=(\\d+) threads=(\\d+) reapers=(\\d+)");

  record Mode(String loop, boolean watch) {
    @Override
    public String toString() {
      return loop == null ? "no agent" : "loop=" + loop + (watch ? "" : ",disable_watch_children=true");
    }
  }

  static List<Mode> modes() {
    List<Mode> modes = new ArrayList<>();
    for (String loop : Loops.all()) {
      modes.add(new Mode(loop, true));
      modes.add(new Mode(loop, false));
    }
    modes.add(new Mode(null, false));
    return modes;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void manyChildrenExitAsTheJdkSaysWithoutAThreadEachWhenWatched(Mode mode) {
    AgentJvm.Builder builder = AgentJvm.app(ChildWatchApp.class).args(String.valueOf(CHILDREN))
        // The app starts one child with posix_spawn through the FFM API.
        .jvmArg("--enable-native-access=ALL-UNNAMED")
        .jvmArg("-XX:ParallelGCThreads=2").jvmArg("-XX:ConcGCThreads=1").jvmArg("-XX:CICompilerCount=2");
    if (mode.loop() != null) {
      builder.agent("loop=" + mode.loop() + (mode.watch() ? "" : ",disable_watch_children=true"));
    }
    RunResult result = builder.run();
    result.assertSucceeded("exits ok=" + CHILDREN + " ticked=true",
        "held stream: exit=5 reader blocked=true", "held stream: reader got end of stream",
        "foreign child: waitpid status=7", "done");

    Matcher alive = result.stdoutLines().stream().map(ALIVE::matcher).filter(Matcher::matches).findFirst()
        .orElseThrow(() -> new AssertionError("no 'alive' line\n" + result));
    int threads = Integer.parseInt(alive.group(2));
    int reapers = Integer.parseInt(alive.group(3));
    if (mode.watch()) {
      assertTrue(reapers == 0, () -> "expected no \"process reaper\" thread while watched\n" + result);
      assertTrue(threads < MAX_THREADS_WATCHED,
          () -> "expected fewer than " + MAX_THREADS_WATCHED + " OS threads with " + CHILDREN + " children\n" + result);
    } else {
      assertTrue(reapers >= CHILDREN, () -> "expected the JDK's reaper thread for each of " + CHILDREN
          + " children\n" + result);
    }
  }
}

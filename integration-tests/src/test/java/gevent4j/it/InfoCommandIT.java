package gevent4j.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.it.harness.AgentJvm;
import gevent4j.it.harness.RunResult;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar gevent4j-agent.jar info [settings]} prints every setting with its effective
 * value and where the value came from, and the loops available; invalid settings fail it the same
 * way they fail start-up.
 */
class InfoCommandIT {
  /** Every setting of gevent's configuration page, which gevent4j keeps. */
  static final List<String> SETTINGS = List.of(
      "ares_servers", "ares_timeout", "disable_watch_children", "fileobject", "format_context", "libev_backend",
      "loop", "max_blocking_time", "max_memory_usage", "memory_monitor_period", "monitor_thread", "resolver",
      "resolver_nameservers", "resolver_timeout", "threadpool", "threadpool_idle_task_timeout", "trace_malloc",
      "track_greenlet_tree");

  @Test
  void infoShowsEverySettingAndItsSource() {
    RunResult result = AgentJvm.agentJarCommand("info", "loop=jdk").run().assertCleanSuccess();
    List<String> lines = result.stdoutLines();
    for (String setting : SETTINGS) {
      Pattern word = Pattern.compile("(?<![A-Za-z0-9_])" + setting + "(?![A-Za-z0-9_])");
      assertTrue(word.matcher(result.stdout()).find(), () -> "expected setting '" + setting + "' in\n" + result);
    }
    String loop = settingBlock(lines, "loop").toLowerCase(Locale.ROOT);
    assertTrue(loop.contains("jdk"), () -> "expected the loop setting to show the value jdk in\n" + result);
    assertTrue(loop.contains("agent argument"),
        () -> "expected the loop setting to show its source 'agent argument' in\n" + result);
    assertTrue(availableLoops(lines).contains("jdk"), () -> "expected a list of available loops naming jdk in\n" + result);
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "loop={0}")
  @org.junit.jupiter.params.provider.MethodSource("gevent4j.it.harness.Loops#all")
  void infoShowsTheNativeMemoryOfANewLoopAndThatDestroyFreesIt(String loop) {
    RunResult result = AgentJvm.agentJarCommand("info", "loop=" + loop).run().assertCleanSuccess();
    result.stdoutLineMatching(java.util.regex.Pattern.compile("  native memory \\(trace_malloc\\): a new " + loop
        + " loop holds [1-9]\\d* blocks, [1-9]\\d* bytes: .*; after destroy 0 blocks, 0 bytes .*"));
  }

  @Test
  void infoWithoutArgumentsShowsDefaults() {
    RunResult result = AgentJvm.agentJarCommand("info").run().assertCleanSuccess();
    for (String setting : SETTINGS) {
      result.assertStdoutContains(setting);
    }
  }

  @Test
  void infoRejectsAnUnknownLoop() {
    RunResult result = AgentJvm.agentJarCommand("info", "loop=nosuch").run().assertExitNonZero();
    InvalidConfigIT.assertOneErrorLine(result, List.of("loop", "nosuch"));
  }

  /**
   * The lines that describe {@code name}: from the line whose first word is {@code name} up to the
   * next line whose first word is another setting. Works for one-line table rows and for
   * indented blocks alike.
   */
  private static String settingBlock(List<String> lines, String name) {
    StringBuilder block = new StringBuilder();
    boolean inside = false;
    for (String line : lines) {
      String first = firstWord(line);
      if (first.equals(name)) {
        inside = true;
      } else if (inside && SETTINGS.contains(first)) {
        break;
      }
      if (inside) {
        block.append(line).append('\n');
      }
    }
    return block.toString();
  }

  /** The line that mentions available loops and the few lines after it. */
  private static String availableLoops(List<String> lines) {
    for (int i = 0; i < lines.size(); i++) {
      String lower = lines.get(i).toLowerCase(Locale.ROOT);
      if (lower.contains("available") && lower.contains("loop")) {
        return String.join("\n", lines.subList(i, Math.min(lines.size(), i + 6))).toLowerCase(Locale.ROOT);
      }
    }
    return "";
  }

  private static String firstWord(String line) {
    String[] words = line.strip().split("[\\s:=|]+", 2);
    return words.length == 0 ? "" : words[0];
  }
}

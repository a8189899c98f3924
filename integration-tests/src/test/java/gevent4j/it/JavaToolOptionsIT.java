package gevent4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.it.apps.ThreadSubclassApp;
import gevent4j.it.harness.AgentJvm;
import gevent4j.it.harness.RunResult;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The agent given only through the {@code JAVA_TOOL_OPTIONS} environment variable, as in a
 * container whose command line cannot change. The JVM itself announces
 * {@code Picked up JAVA_TOOL_OPTIONS: ...} on stderr: that line, and only it, is allowed.
 */
class JavaToolOptionsIT {

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void agentFromJavaToolOptions(String loop) {
    String options = "-javaagent:" + AgentJvm.agentJar() + "=loop=" + loop;
    RunResult result = AgentJvm.app(ThreadSubclassApp.class).noAgent().javaToolOptions(options).run()
        .assertExitZero()
        .assertStdoutHasLines("subclass virtual=false plain virtual=true", "gevent4j.loop=" + loop);
    List<String> stderr = result.stderrLines();
    assertEquals(1, stderr.size(), () -> "expected only the JVM's own JAVA_TOOL_OPTIONS notice on stderr\n" + result);
    assertTrue(stderr.get(0).startsWith("Picked up JAVA_TOOL_OPTIONS: "),
        () -> "expected the JVM's own JAVA_TOOL_OPTIONS notice on stderr\n" + result);
  }
}

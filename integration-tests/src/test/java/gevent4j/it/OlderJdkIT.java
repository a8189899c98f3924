package gevent4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import gevent4j.it.harness.AgentJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An operator adds the agent to an application that runs on an older JDK: the application must
 * start and work (unpatched) with exactly one line on stderr, and DNS must keep working even
 * though the agent's resolver provider is on the class path. Needs a JDK older than 25 on the
 * machine (Debian's default JDK 17 here and in CI); without one the test fails and says so.
 */
class OlderJdkIT {

  private static final List<Path> CANDIDATES = List.of(
      Path.of("/usr/lib/jvm/java-17-openjdk-amd64"), Path.of("/usr/lib/jvm/java-21-openjdk-amd64"),
      Path.of("/usr/lib/jvm/java-17-openjdk-arm64"), Path.of("/usr/lib/jvm/java-21-openjdk-arm64"));

  private static Path olderJdk() {
    for (Path home : CANDIDATES) {
      if (Files.isExecutable(home.resolve("bin/java")) && Files.isExecutable(home.resolve("bin/javac"))) {
        return home;
      }
    }
    return fail("OlderJdkIT needs a JDK 17 or 21 (with javac) under /usr/lib/jvm, e.g. apt-get install openjdk-17-jdk-headless; looked at " + CANDIDATES);
  }

  @Test
  void anOlderJdkRunsTheApplicationUnpatchedWithOneErrorLine() throws Exception {
    Path jdk = olderJdk();
    Path dir = Files.createTempDirectory("g4j-oldjdk");
    Files.writeString(dir.resolve("OldApp.java"), """
        public class OldApp {
          public static void main(String[] args) throws Exception {
            Thread t = new Thread(() -> System.out.println("thread ran"));
            t.start();
            t.join();
            System.out.println("resolved " + java.net.InetAddress.getByName("localhost").getHostAddress());
          }
        }
        """);
    run(dir, List.of(jdk.resolve("bin/javac").toString(), "OldApp.java"));
    Result r = run(dir, List.of(jdk.resolve("bin/java").toString(), "-javaagent:" + AgentJvm.agentJar(), "-cp", ".", "OldApp"));
    assertEquals(0, r.exit, r.toString());
    assertTrue(r.stdout.contains("thread ran") && r.stdout.contains("resolved 127.0.0.1"), r.toString());
    List<String> errLines = r.stderr.lines().toList();
    assertEquals(1, errLines.size(), r.toString());
    assertTrue(errLines.get(0).startsWith("gevent4j: ERROR the agent needs Java 25"), r.toString());
  }

  private record Result(int exit, String stdout, String stderr) {
  }

  private static Result run(Path dir, List<String> command) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().remove("JDK_JAVA_OPTIONS");
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("timed out: " + command);
    }
    Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    if (command.get(0).endsWith("javac")) {
      assertEquals(0, r.exit, "javac failed: " + r);
    }
    return r;
  }
}

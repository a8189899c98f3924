package gevent4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import gevent4j.it.apps.LoopNameApp;
import gevent4j.it.harness.AgentJvm;
import gevent4j.it.harness.RunResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What an operator sees when a native loop's library is missing, simulated without touching the
 * machine: the JVM runs in a private mount namespace where the library file is hidden behind
 * {@code /dev/null}, so {@code dlopen} fails as if the package were not installed.
 *
 * <p>Needs root and {@code unshare} (util-linux); without them the test fails, it never skips.
 */
class MissingLibraryIT {

  @Test
  void explicitlyNamedLoopThatCannotLoadStopsStartupWithHowToInstall() throws Exception {
    RunResult result = runHiding(List.of("libuv.so.1"), AgentJvm.app(LoopNameApp.class).loop("libuv"));
    result.assertExitNonZero();
    InvalidConfigIT.assertOneErrorLine(result, List.of("loop=libuv", "libuv.so.1", "apt-get install libuv1"));
    result.assertStdoutLacks("loop=");
  }

  /** The FFM bindings load the same libraries through java.lang.foreign, and say the same when they cannot. */
  @Test
  void explicitlyNamedFfmLoopsThatCannotLoadStopStartupWithHowToInstall() throws Exception {
    RunResult libev = runHiding(List.of("libev.so.4"), AgentJvm.app(LoopNameApp.class).loop("libev-ffm"));
    libev.assertExitNonZero();
    InvalidConfigIT.assertOneErrorLine(libev, List.of("loop=libev-ffm", "libev.so.4", "apt-get install libev4"));
    libev.assertStdoutLacks("loop=");
    RunResult libuv = runHiding(List.of("libuv.so.1"), AgentJvm.app(LoopNameApp.class).loop("libuv-ffm"));
    libuv.assertExitNonZero();
    InvalidConfigIT.assertOneErrorLine(libuv, List.of("loop=libuv-ffm", "libuv.so.1", "apt-get install libuv1"));
    libuv.assertStdoutLacks("loop=");
  }

  @Test
  void explicitlyNamedResolverThatCannotLoadStopsStartupWithHowToInstall() throws Exception {
    RunResult result = runHiding(List.of("libcares.so.2"),
        AgentJvm.app(LoopNameApp.class).agent("loop=jdk,resolver=ares"));
    result.assertExitNonZero();
    InvalidConfigIT.assertOneErrorLine(result, List.of("resolver=ares", "libcares.so.2", "apt-get install libc-ares2"));
    result.assertStdoutLacks("loop=");
  }

  @Test
  void defaultListFallsBackWithOneInfoLine() throws Exception {
    RunResult result = runHiding(List.of("libev.so.4"),
        AgentJvm.app(LoopNameApp.class).agent("log_level=info"));
    result.assertExitZero().assertStdoutHasLines("greenlet virtual=true", "loop=libuv");
    List<String> mentions = result.stderrLines().stream().filter(l -> l.contains("libev")).toList();
    assertEquals(1, mentions.size(), () -> "expected one line about libev\n" + result);
    assertTrue(mentions.get(0).contains("libev.so.4") && mentions.get(0).contains("apt-get install libev4")
        && mentions.get(0).endsWith("using libuv"), result::toString);
  }

  @Test
  void defaultListEndsOnTheEmbeddedLoopSilently() throws Exception {
    RunResult result = runHiding(List.of("libev.so.4", "libuv.so.1"), AgentJvm.app(LoopNameApp.class).agent());
    result.assertSucceeded("greenlet virtual=true", "loop=jdk");
  }

  /** Runs the JVM of {@code app} with each library in {@code sonames} hidden. */
  private static RunResult runHiding(List<String> sonames, AgentJvm.Builder app) throws Exception {
    StringBuilder script = new StringBuilder("set -e; ");
    for (String soname : sonames) {
      script.append("mount --bind /dev/null '").append(libraryPath(soname)).append("'; ");
    }
    script.append("exec \"$@\"");
    List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--propagation", "private",
        "sh", "-c", script.toString(), "sh"));
    command.addAll(app.commandLine());
    Process process = new ProcessBuilder(command).start();
    process.getOutputStream().close();
    var stdout = process.getInputStream();
    var stderr = process.getErrorStream();
    // Small outputs: read both after exit is safe only if pipes do not fill; they cannot here.
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("timed out: " + command);
    }
    RunResult result = new RunResult(String.join(" ", command), process.exitValue(),
        new String(stdout.readAllBytes(), StandardCharsets.UTF_8), new String(stderr.readAllBytes(), StandardCharsets.UTF_8));
    if (result.stderr().contains("unshare:") || result.stderr().contains("mount:")) {
      fail("MissingLibraryIT needs root and unshare (util-linux) to hide a library in a private mount namespace\n"
          + result);
    }
    return result;
  }

  /** The file the dynamic linker opens for {@code soname}, from {@code ldconfig -p}. */
  private static String libraryPath(String soname) throws IOException, InterruptedException {
    Process ldconfig = new ProcessBuilder("ldconfig", "-p").redirectErrorStream(true).start();
    String out = new String(ldconfig.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    ldconfig.waitFor();
    for (String line : out.lines().toList()) {
      String trimmed = line.trim();
      if (trimmed.startsWith(soname + " ") && trimmed.contains("=> ")) {
        return trimmed.substring(trimmed.indexOf("=> ") + 3).trim();
      }
    }
    fail(soname + " is not installed (ldconfig -p does not list it): install libev4, libuv1 and libc-ares2 (bin/test does, as root)");
    return null;
  }
}

package gevent4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.it.apps.MonitorApp;
import gevent4j.it.harness.AgentJvm;
import gevent4j.it.harness.Loops;
import gevent4j.it.harness.RunResult;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code monitor_thread} on every loop: a CPU loop, an unpatched native call and a blocking class
 * initialiser each hold the Hub for 1.5 s with {@code max_blocking_time} at 0.1 s, and each is
 * reported exactly once, with the blocking greenlet's stack, on stderr and as an
 * {@code EventLoopBlocked} event; a busy Hub that keeps switching is never reported; the memory
 * threshold events fire and clear; user functions run; with the monitor off nothing is reported.
 */
class MonitorIT {

  static Stream<Arguments> blockingCases() {
    return Loops.all().stream().flatMap(loop -> Stream.of(
        Arguments.of(loop, "spin", "spinner", "MonitorApp.spin"),
        Arguments.of(loop, "native", "native-caller", "MonitorApp.nativeSleep"),
        Arguments.of(loop, "clinit", "initialiser", "MonitorApp$SlowInit.<clinit>")));
  }

  @ParameterizedTest(name = "loop={0} {1}")
  @MethodSource("blockingCases")
  void blockingIsReportedOnceWithTheGreenletsStack(String loop, String mode, String greenlet, String frame) {
    RunResult result = monitored(loop, mode).run().assertExitZero().assertStdoutHasLines("MONITOR_APP OK");
    // Exactly one report for this greenlet's episode (class loading elsewhere may be reported too).
    assertEquals(1, count(Pattern.compile(Pattern.quote("Greenlet[\"" + greenlet + "\"") + "[^\n]*appears to be blocked"),
        result.stderr()), () -> "expected exactly one report\n" + result);
    assertTrue(result.stderr().contains("Greenlet[\"" + greenlet + "\""), () -> "report names the greenlet\n" + result);
    assertTrue(result.stderr().contains("at gevent4j.it.apps." + frame.replace("MonitorApp.", "MonitorApp.")),
        () -> "report has the stack\n" + result);
    assertTrue(result.stdout().contains("EVENT EventLoopBlocked greenlet=Greenlet[\"" + greenlet + "\""),
        () -> "event delivered\n" + result);
    assertTrue(result.stdout().contains("top=" + frame), () -> "event has the stack\n" + result);
  }

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void aBusySwitchingHubIsNotReported(String loop) {
    // 0.5 s rather than 0.1 s: the Hub thread may lose the CPU for a while on a loaded machine; a
    // Hub that keeps switching is never reported however long it is busy, which is what this checks.
    AgentJvm.app(MonitorApp.class).args("busy").agent("loop=" + loop + ",monitor_thread=true,max_blocking_time=0.5")
        .run().assertSucceeded("busy hand-offs done", "MONITOR_APP OK");
  }

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void memoryThresholdEventsFireAndClear(String loop) {
    RunResult result = AgentJvm.app(MonitorApp.class).args("memory")
        .agent("loop=" + loop + ",monitor_thread=true,max_memory_usage=350mb,memory_monitor_period=2")
        .run().assertExitZero().assertStdoutHasLines("allocated", "freed", "MONITOR_APP OK");
    String out = result.stdout();
    int exceeded = out.indexOf("EVENT MemoryUsageThresholdExceeded");
    int freed = out.indexOf("freed");
    int under = out.indexOf("EVENT MemoryUsageUnderThreshold");
    assertTrue(exceeded > 0 && exceeded < freed && under > freed, () -> "events out of order\n" + result);
    assertEquals(1, count(Pattern.compile("EVENT MemoryUsageThresholdExceeded"), out), () -> result.toString());
    assertTrue(out.contains("max=367001600"), () -> "350mb is 367001600 bytes\n" + result);
    assertTrue(result.stderr().contains("WARN memory usage"), () -> "the crossing is logged\n" + result);
  }

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void userFunctionsRunOnTheMonitor(String loop) {
    monitored(loop, "function").run().assertSucceeded("periodic function ran", "MONITOR_APP OK");
  }

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void startupEventsReachServiceLoaderSubscribers(String loop) {
    monitored(loop, "function").systemProperty("gevent4j.it.events", "true").run().assertSucceeded(
        "SL-EVENT LoopChosen loop=" + loop, "SL-EVENT HubStarted hub=gevent-hub loop=" + loop,
        "SL-EVENT MonitorThreadStarted monitor=gevent4j-monitor", "MONITOR_APP OK");
  }

  @Test
  void blockingAndMemoryEpisodesAreJfrEvents(@TempDir Path dir) throws Exception {
    Path recording = dir.resolve("monitor.jfr");
    AgentJvm.app(MonitorApp.class).args("spin")
        .jvmArg("-XX:StartFlightRecording=filename=" + recording + ",settings=default")
        .agent("monitor_thread=true").run().assertExitZero().assertStdoutHasLines("MONITOR_APP OK");
    List<RecordedEvent> blocked = RecordingFile.readAllEvents(recording).stream()
        .filter(e -> e.getEventType().getName().equals("gevent4j.EventLoopBlocked")).toList();
    assertEquals(1, blocked.size(), () -> "events: " + blocked);
    assertTrue(blocked.get(0).getString("greenlet").contains("\"spinner\""), blocked.get(0)::toString);
    assertTrue(blocked.get(0).getString("blockedStack").contains("gevent4j.it.apps.MonitorApp.spin("), blocked.get(0)::toString);
    assertTrue(blocked.get(0).getDuration("blockedFor").toMillis() >= 100, blocked.get(0)::toString);

    Path memoryRecording = dir.resolve("memory.jfr");
    AgentJvm.app(MonitorApp.class).args("memory")
        .jvmArg("-XX:StartFlightRecording=filename=" + memoryRecording + ",settings=default")
        .agent("monitor_thread=true,max_memory_usage=350mb,memory_monitor_period=2").run().assertExitZero()
        .assertStdoutHasLines("MONITOR_APP OK");
    List<String> crossings = RecordingFile.readAllEvents(memoryRecording).stream()
        .map(e -> e.getEventType().getName()).filter(n -> n.startsWith("gevent4j.Memory")).toList();
    assertEquals(List.of("gevent4j.MemoryUsageThresholdExceeded", "gevent4j.MemoryUsageUnderThreshold"), crossings);
  }

  @Test
  void theMemoryPeriodHasAFloorAndMemoryNeedsTheMonitor() {
    AgentJvm.app(MonitorApp.class).args("function")
        .agent("monitor_thread=true,max_memory_usage=10gb,memory_monitor_period=0.5,log_level=info").run()
        .assertExitZero().assertStdoutHasLines("MONITOR_APP OK")
        .stderrLines().stream().filter(l -> l.contains("memory_monitor_period 500 ms is below the floor; using 2000 ms"))
        .findFirst().orElseGet(() -> org.junit.jupiter.api.Assertions.fail("no floor line"));
    AgentJvm.app(MonitorApp.class).args("spin", "off").agent("max_memory_usage=10gb,log_level=info").run()
        .assertExitZero().stderrLines().stream()
        .filter(l -> l.contains("max_memory_usage has no effect while monitor_thread is off"))
        .findFirst().orElseGet(() -> org.junit.jupiter.api.Assertions.fail("no line about the monitor being off"));
  }

  @Test
  void withTheMonitorOffNothingIsReported() {
    AgentJvm.app(MonitorApp.class).args("spin", "off").agent("monitor_thread=false").run()
        .assertSucceeded("monitor off: the monitor thread is not running", "MONITOR_APP OK");
  }

  @Test
  void theEnvironmentVariableTurnsItOn() {
    RunResult result = AgentJvm.app(MonitorApp.class).args("spin").agent()
        .env("GEVENT_MONITOR_THREAD_ENABLE", "yes").env("GEVENT_MAX_BLOCKING_TIME", "0.2")
        .run().assertExitZero().assertStdoutHasLines("MONITOR_APP OK");
    assertEquals(1, count(Pattern.compile("Greenlet\\[\"spinner\"[^\\n]*appears to be blocked"), result.stderr()),
        () -> result.toString());
    assertTrue(result.stderr().contains("max_blocking_time 200 ms"), () -> result.toString());
  }

  private static AgentJvm.Builder monitored(String loop, String mode) {
    return AgentJvm.app(MonitorApp.class).args(mode).agent("loop=" + loop + ",monitor_thread=true,max_blocking_time=0.1");
  }

  private static int count(Pattern p, String text) {
    Matcher m = p.matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}

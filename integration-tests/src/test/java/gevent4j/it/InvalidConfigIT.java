package gevent4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.it.apps.ThreadSubclassApp;
import gevent4j.it.harness.AgentJvm;
import gevent4j.it.harness.RunResult;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invalid configuration stops start-up: a non-zero exit, exactly one stderr line starting
 * {@code gevent4j:} that names the setting and the bad value, no stack trace, and the
 * application never runs.
 */
class InvalidConfigIT {

  static Stream<Arguments> cases() {
    return Stream.of(
        invalid("unknown loop", b -> b.agent("loop=nosuch"), "loop", "nosuch", "jdk"),
        invalid("malformed agent argument", b -> b.agent("loop=jdk,libuv"), "libuv"),
        invalid("unknown setting", b -> b.agent("nosuch=1"), "nosuch"),
        invalid("bad boolean in environment", b -> b.agent().env("GEVENT_MONITOR_THREAD_ENABLE", "maybe"),
            "monitor_thread", "maybe"),
        invalid("bad byte size in system property", b -> b.agent().systemProperty("gevent.max_memory_usage", "12xb"),
            "max_memory_usage", "12xb"),
        invalid("bad nameserver", b -> b.agent("resolver_nameservers=not-an-ip"), "resolver_nameservers", "not-an-ip"),
        invalid("unknown -Dgevent property", b -> b.agent().systemProperty("gevent.nosuch", "1"), "nosuch"),
        invalid("libev backend this libev lacks", b -> b.agent("loop=libev,libev_backend=kqueue"),
            "libev_backend", "kqueue", "epoll"),
        invalid("libev backend refused (io_uring)", b -> b.agent("loop=libev").env("GEVENT_BACKEND", "io_uring"),
            "libev_backend", "io_uring", "abort"),
        invalid("bad duration in environment", b -> b.agent().env("GEVENT_THREADPOOL_IDLE_TASK_TIMEOUT", "abc"),
            "threadpool_idle_task_timeout", "abc"),
        invalid("negative max_blocking_time", b -> b.agent("max_blocking_time=-1"), "max_blocking_time", "-1"),
        invalid("zero memory_monitor_period", b -> b.agent().env("GEVENT_MONITOR_MEMORY_PERIOD", "0"),
            "memory_monitor_period", "0"),
        invalid("bad track_greenlet_tree", b -> b.agent("track_greenlet_tree=sometimes"),
            "track_greenlet_tree", "sometimes"),
        invalid("bad trace_malloc", b -> b.agent().env("GEVENT_TRACE_MALLOC", "-3"), "trace_malloc", "-3"),
        invalid("bad format_context", b -> b.agent().systemProperty("gevent.format_context", "not a class"),
            "format_context", "not a class"));
  }

  private static Arguments invalid(String name, UnaryOperator<AgentJvm.Builder> config, String... mentions) {
    return Arguments.argumentSet(name, config, List.of(mentions));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void stopsStartupWithOneLine(UnaryOperator<AgentJvm.Builder> config, List<String> mentions) {
    RunResult result = config.apply(AgentJvm.app(ThreadSubclassApp.class)).run().assertExitNonZero();
    assertOneErrorLine(result, mentions);
    result.assertStdoutLacks("subclass virtual=");
  }

  /**
   * Exactly one non-blank stderr line, starting {@code gevent4j:}, mentioning each of
   * {@code mentions} (case-insensitively, so {@code GEVENT_MONITOR_THREAD_ENABLE} names
   * {@code monitor_thread}), and no stack trace.
   */
  static void assertOneErrorLine(RunResult result, List<String> mentions) {
    List<String> lines = result.stderrLines();
    assertEquals(1, lines.size(), () -> "expected exactly one stderr line\n" + result);
    String line = lines.get(0);
    assertTrue(line.startsWith("gevent4j:"), () -> "expected the stderr line to start with 'gevent4j:'\n" + result);
    for (String mention : mentions) {
      assertTrue(line.toLowerCase(Locale.ROOT).contains(mention.toLowerCase(Locale.ROOT)),
          () -> "expected the error line to mention '" + mention + "'\n" + result);
    }
    assertFalse(result.stderr().lines().anyMatch(l -> l.stripLeading().startsWith("at ")),
        () -> "expected no stack trace\n" + result);
  }
}

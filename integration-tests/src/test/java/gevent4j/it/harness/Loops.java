package gevent4j.it.harness;

import java.util.Arrays;
import java.util.List;

/** The event loops the integration tests run on, from the system property {@code gevent4j.it.loops}. */
public final class Loops {
  private Loops() {}

  /**
   * The loop names of {@code gevent4j.it.loops} (comma separated), for
   * {@code @MethodSource("gevent4j.it.harness.Loops#all")}.
   *
   * @throws IllegalStateException if the property is missing or names no loop: the tests are meant
   *     to be run through Maven, whose surefire configuration sets it
   */
  public static List<String> all() {
    String value = System.getProperty("gevent4j.it.loops");
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("system property gevent4j.it.loops is not set: run the integration "
          + "tests through Maven (mvn -pl integration-tests test, or bin/test), which sets it from the pom");
    }
    List<String> loops = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    if (loops.isEmpty()) {
      throw new IllegalStateException("system property gevent4j.it.loops names no loop: '" + value + "'");
    }
    return loops;
  }
}

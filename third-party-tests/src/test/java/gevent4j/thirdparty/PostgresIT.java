package gevent4j.thirdparty;

import gevent4j.thirdparty.apps.PostgresApp;
import gevent4j.thirdparty.harness.Checks;
import gevent4j.thirdparty.harness.ChildJvm;
import gevent4j.thirdparty.harness.TestServices;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The PostgreSQL JDBC driver (pgjdbc) used from 200 plain threads, each with its own connection,
 * gets every result right under the agent, on few OS threads; the same application without the
 * agent proves the application itself right. Needs the server of bin/lib/services.sh.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresIT {
  private static final int THREADS = 200;
  private static final int ITERATIONS = 50;
  private static final int MAX_OS_THREADS = 60;
  private static final Duration TIMEOUT = Duration.ofSeconds(240);
  private static final String RESULT = "RESULT ok=" + (long) THREADS * (3L * ITERATIONS + 2) + " errors=0";

  private static ChildJvm.Result plain;

  @BeforeAll
  static void server() {
    TestServices.requirePostgres();
  }

  private static synchronized ChildJvm.Result plain() {
    if (plain == null) {
      plain = run(false);
    }
    return plain;
  }

  private static ChildJvm.Result run(boolean agent) {
    return ChildJvm.run(agent, PostgresApp.class, TIMEOUT,
        TestServices.postgresUrl(), Integer.toString(THREADS), Integer.toString(ITERATIONS));
  }

  @Test
  @Order(1)
  void withoutTheAgentTheAppIsRight() {
    ChildJvm.Result run = plain();
    Checks.assertAllResultsRight(run, RESULT);
    Checks.assertOneOsThreadPerAppThread(run, THREADS);
  }

  @Test
  @Order(2)
  void underTheAgentEveryResultIsRightOnFewOsThreads() {
    ChildJvm.Result run = run(true);
    System.out.printf("PostgresIT: %d app threads, peak OS threads without agent %d, under agent %d%n",
        THREADS, plain().peakThreads(), run.peakThreads());
    Checks.assertAllResultsRight(run, RESULT);
    Checks.assertStderrAddsNothing(run, plain());
    Checks.assertFewOsThreads(run, THREADS, MAX_OS_THREADS);
  }
}

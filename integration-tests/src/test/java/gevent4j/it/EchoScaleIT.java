package gevent4j.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import gevent4j.it.apps.EchoLoadApp;
import gevent4j.it.apps.EchoServerApp;
import gevent4j.it.harness.AgentJvm;
import gevent4j.it.harness.ProcSampler;
import gevent4j.it.harness.RunResult;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The headline claim: an unmodified thread-per-connection echo server under the agent serves
 * 5,000 concurrent connections x 3 rounds x 4 KiB, every byte verified by a client without the
 * agent, on at most 40 OS threads (sampled from {@code /proc} while the load runs). Without the
 * agent the same server needs one OS thread per connection.
 */
class EchoScaleIT {
  private static final int CONNECTIONS = 5_000;
  private static final int ROUNDS = 3;
  private static final int SIZE = 4096;
  private static final int MAX_SERVER_THREADS = 40;
  /**
   * The open-files limit the children need, with room to spare: bin/test raises {@code ulimit -n}
   * to this. Overridable with {@code -Dgevent4j.it.min_open_files} for machines whose hard limit
   * is lower but still above what 5,000 connections need.
   */
  private static final long MIN_OPEN_FILES = Long.getLong("gevent4j.it.min_open_files", 12_000);
  private static final Duration TIMEOUT = Duration.ofSeconds(300);

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void fiveThousandConnectionsOnFewThreads(String loop) {
    long bytes = (long) CONNECTIONS * ROUNDS * SIZE;
    try (AgentJvm server = AgentJvm.app(EchoServerApp.class).loop(loop).timeout(TIMEOUT)
        .args(Integer.toString(CONNECTIONS)).start()) {
      int port = server.awaitListeningPort();
      long openFiles = server.maxOpenFiles();
      if (openFiles < MIN_OPEN_FILES) {
        fail("the server JVM may open only " + openFiles + " files (ulimit -n), but this test needs at least "
            + MIN_OPEN_FILES + ": run the tests via bin/test, which raises the limit");
      }
      ProcSampler sampler = ProcSampler.start(server.pid(), 20);
      RunResult load;
      try {
        load = AgentJvm.app(EchoLoadApp.class)
            .timeout(TIMEOUT)
            .args("127.0.0.1", Integer.toString(port), Integer.toString(CONNECTIONS), Integer.toString(ROUNDS),
                Integer.toString(SIZE))
            .run();
      } finally {
        sampler.close();
      }
      System.out.printf("EchoScaleIT loop=%s: server %s%n", loop, sampler);
      load.assertSucceeded("RESULT connections=" + CONNECTIONS + " bytes_verified=" + bytes + " errors=0");
      assertTrue(sampler.samples() > 0, "no /proc sample of the server was taken");
      int peak = sampler.peakThreads();
      assertTrue(peak <= MAX_SERVER_THREADS, () -> "the server under the agent used " + peak
          + " OS threads at peak, more than " + MAX_SERVER_THREADS + " (" + sampler + ")\nserver output so far:\n"
          + server.stdoutSoFar() + server.stderrSoFar());
      server.awaitExit()
          .assertSucceeded("served connections=" + CONNECTIONS + " bytes=" + bytes + " errors=0");
    }
  }
}

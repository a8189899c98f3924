package gevent4j.it;

import gevent4j.it.apps.ConcurrentApp;
import gevent4j.it.harness.AgentJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code java.util.concurrent} queues, locks, latches, semaphores, pools and futures with many
 * threads.
 */
class ConcurrentIT {
  private static final String[] EXPECTED = {
    "ArrayBlockingQueue sum=1250025000 expected=1250025000",
    "LinkedBlockingQueue sum=1250025000 expected=1250025000",
    "SynchronousQueue sum=1250025000 expected=1250025000",
    "LinkedTransferQueue sum=1250025000 expected=1250025000",
    "ReentrantLock+Condition total=5050000 expected=5050000",
    "CountDownLatch sum=5050 expected=5050",
    "Semaphore passed=500 max-inside=5",
    "pool fixed sum=5000050000 expected=5000050000",
    "pool cached sum=5000050000 expected=5000050000",
    "pool scheduled sum=5050 expected=5050 periodic>=5",
    "CompletableFuture sum=5000050000 expected=5000050000",
    "CONCURRENT_APP OK"
  };

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void passesUnderAgent(String loop) {
    AgentJvm.app(ConcurrentApp.class).loop(loop).run().assertSucceeded(EXPECTED);
  }

  @Test
  void passesWithoutAgent() {
    AgentJvm.app(ConcurrentApp.class).run().assertSucceeded(EXPECTED);
  }
}

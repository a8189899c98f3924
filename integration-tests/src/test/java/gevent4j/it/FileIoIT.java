package gevent4j.it;

import gevent4j.it.apps.FileIoApp;
import gevent4j.it.harness.AgentJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code FileOutputStream}/{@code FileInputStream} on regular files (threadpool) and on a pipe that
 * stays full for a second (waits on the Hub): every byte arrives and other threads keep running.
 */
class FileIoIT {
  private static final String[] EXPECTED = {
    "files verified=400",
    "pipe bytes=1048576 ticked=true",
    "fifo read=fifo-data ticked=true",
    "FILE_IO_APP OK"
  };

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void passesUnderAgent(String loop) {
    AgentJvm.app(FileIoApp.class).loop(loop).run().assertSucceeded(EXPECTED);
  }

  @Test
  void passesUnderAgentWithThreadFileobjectOnly() {
    AgentJvm.app(FileIoApp.class).agent("fileobject=thread").run().assertSucceeded(EXPECTED);
  }

  @Test
  void passesWithoutAgent() {
    AgentJvm.app(FileIoApp.class).run().assertSucceeded(EXPECTED);
  }
}

package gevent4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import gevent4j.it.apps.StdinApp;
import gevent4j.it.harness.AgentJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A thread blocked reading stdin must not stall the Hub: while the child waits for its next stdin
 * line, its echo server must keep answering. The test writes a line, waits until the child has
 * read it (so its reader is blocked again), and only then talks to the echo server; the next
 * stdin line is written only after those answers arrived, so a stalled Hub fails the test
 * (read timeout) instead of passing late.
 */
class StdinIT {
  private static final int IO_TIMEOUT_MILLIS = 60_000;

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void stdinReaderDoesNotStallOthersUnderAgent(String loop) throws Exception {
    stdinReaderDoesNotStallOthers(AgentJvm.app(StdinApp.class).loop(loop));
  }

  @Test
  void stdinReaderDoesNotStallOthersWithoutAgent() throws Exception {
    stdinReaderDoesNotStallOthers(AgentJvm.app(StdinApp.class));
  }

  private static void stdinReaderDoesNotStallOthers(AgentJvm.Builder builder) throws Exception {
    try (AgentJvm jvm = builder.stdinPipe().start()) {
      int port = jvm.awaitListeningPort();
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
        socket.setSoTimeout(IO_TIMEOUT_MILLIS);
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);

        echo(jvm, in, out, "before any stdin");
        jvm.write("first line\n");
        jvm.awaitStdoutLine(Pattern.compile("stdin: first line"));
        // The reader is blocked on stdin again: the echo server must still answer.
        for (int i = 0; i < 5; i++) {
          echo(jvm, in, out, "while stdin is idle " + i);
          Thread.sleep(100);
        }
        jvm.write("second line\n");
        jvm.awaitStdoutLine(Pattern.compile("stdin: second line"));
        echo(jvm, in, out, "after the second line");
        Thread.sleep(500);
        echo(jvm, in, out, "after a pause");
      }
      jvm.closeStdin();
      jvm.awaitExit()
          .assertSucceeded("stdin: first line", "stdin: second line", "stdin eof lines=2");
    }
  }

  private static void echo(AgentJvm jvm, BufferedReader in, PrintWriter out, String line) throws IOException {
    out.println(line);
    String answer;
    try {
      answer = in.readLine();
    } catch (SocketTimeoutException e) {
      answer = fail("the echo server did not answer '" + line + "' within " + IO_TIMEOUT_MILLIS
          + " ms while the stdin reader was blocked: is the Hub stalled by the stdin read?\nchild stdout so far:\n"
          + jvm.stdoutSoFar() + "\nchild stderr so far:\n" + jvm.stderrSoFar());
    }
    assertEquals("echo " + line, answer, "the echo server's answer while stdin is being read");
  }
}

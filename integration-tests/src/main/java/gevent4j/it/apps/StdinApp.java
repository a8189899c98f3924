package gevent4j.it.apps;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * A thread reading {@code System.in} line by line while a line-echo server keeps answering on
 * other threads: a blocking stdin read must not stall the others.
 *
 * <p>Prints {@code listening on <port>}, then {@code stdin: <line>} for each line read and
 * {@code stdin eof lines=<n>} at end of input, and exits 0. The echo server answers each line
 * {@code L} with {@code echo L}; its threads are daemons.
 */
public final class StdinApp {
  private StdinApp() {}

  public static void main(String[] args) throws Exception {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread acceptor = new Thread(() -> serve(server), "echo-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();

    Thread reader = new Thread(() -> {
      int lines = 0;
      try {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
          lines++;
          Check.println("stdin: " + line);
        }
        Check.println("stdin eof lines=" + lines);
      } catch (IOException e) {
        Check.fail("reading stdin failed", e);
      }
    }, "stdin-reader");
    reader.start();
    Check.println("listening on " + server.getLocalPort());
    reader.join();
    server.close();
  }

  private static void serve(ServerSocket server) {
    try {
      while (true) {
        Socket socket = server.accept();
        Thread handler = new Thread(() -> echoLines(socket));
        handler.setDaemon(true);
        handler.start();
      }
    } catch (SocketException closed) {
      // main closed the server: done
    } catch (IOException e) {
      Check.fail("accept failed", e);
    }
  }

  private static void echoLines(Socket socket) {
    try (socket;
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8)) {
      for (String line; (line = in.readLine()) != null; ) {
        out.println("echo " + line);
      }
    } catch (IOException e) {
      // the client went away
    }
  }
}

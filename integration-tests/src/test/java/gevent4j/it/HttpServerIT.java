package gevent4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import gevent4j.it.apps.HttpServerApp;
import gevent4j.it.harness.AgentJvm;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JDK's HttpServer on a cached pool: 1,000 connections opened at once from this JVM, each
 * sending one request before any response is read, then 100 requests through
 * {@code java.net.http.HttpClient}; every response is checked.
 */
class HttpServerIT {
  private static final int CONNECTIONS = 1_000;
  private static final int CLIENT_REQUESTS = 100;
  private static final int IO_TIMEOUT_MILLIS = 120_000;

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void servesConcurrentRequestsUnderAgent(String loop) throws Exception {
    servesConcurrentRequests(AgentJvm.app(HttpServerApp.class).loop(loop));
  }

  @Test
  void servesConcurrentRequestsWithoutAgent() throws Exception {
    servesConcurrentRequests(AgentJvm.app(HttpServerApp.class));
  }

  private static void servesConcurrentRequests(AgentJvm.Builder builder) throws Exception {
    try (AgentJvm server = builder.timeout(Duration.ofSeconds(180)).start()) {
      int port = server.awaitListeningPort();
      rawConnections(server, port);
      httpClient(port);
      server.awaitExit()
          .assertSucceeded("served requests=" + (CONNECTIONS + CLIENT_REQUESTS));
    }
  }

  /** Opens every connection and sends every request first, then reads every response. */
  private static void rawConnections(AgentJvm server, int port) throws IOException {
    List<Socket> sockets = new ArrayList<>(CONNECTIONS);
    try {
      for (int i = 0; i < CONNECTIONS; i++) {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(IO_TIMEOUT_MILLIS);
        sockets.add(socket);
      }
      for (int i = 0; i < CONNECTIONS; i++) {
        String request = "GET /raw/" + i + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
        OutputStream out = sockets.get(i).getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
      for (int i = 0; i < CONNECTIONS; i++) {
        String response = readResponse(server, sockets.get(i), i);
        int bodyStart = response.indexOf("\r\n\r\n");
        int index = i;
        assertTrue(response.startsWith("HTTP/1.1 200 "), () -> "connection " + index + " got: " + response);
        assertTrue(bodyStart > 0, () -> "connection " + index + " got no header end: " + response);
        assertEquals("hello /raw/" + i, response.substring(bodyStart + 4), "body of connection " + i);
      }
    } finally {
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }

  private static String readResponse(AgentJvm server, Socket socket, int i) throws IOException {
    InputStream in = socket.getInputStream();
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (SocketTimeoutException e) {
      return fail("no complete response on connection " + i + " of " + CONNECTIONS + " within "
          + IO_TIMEOUT_MILLIS + " ms (" + i + " earlier ones were answered)" + server.dumpThreads()
          + "\nserver stdout so far:\n" + server.stdoutSoFar() + "\nserver stderr so far:\n" + server.stderrSoFar());
    }
  }

  private static void httpClient(int port) throws Exception {
    try (HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofMillis(IO_TIMEOUT_MILLIS))
        .build()) {
      List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
      for (int i = 0; i < CLIENT_REQUESTS; i++) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/client/" + i))
            .timeout(Duration.ofMillis(IO_TIMEOUT_MILLIS))
            .build();
        responses.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
      }
      for (int i = 0; i < CLIENT_REQUESTS; i++) {
        HttpResponse<String> response = responses.get(i).get(IO_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        assertEquals(200, response.statusCode(), "status of client request " + i);
        assertEquals("hello /client/" + i, response.body(), "body of client request " + i);
      }
      HttpResponse<String> bye = client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/shutdown"))
              .timeout(Duration.ofMillis(IO_TIMEOUT_MILLIS)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals("bye", bye.body(), "shutdown response");
    }
  }
}

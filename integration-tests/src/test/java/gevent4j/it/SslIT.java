package gevent4j.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import gevent4j.it.apps.SslApp;
import gevent4j.it.harness.AgentJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TLS over sockets in greenlets: an {@code SSLServerSocket} echo server (thread per connection)
 * and 100 client threads doing 5 round trips of 2 KiB each over {@code SSLSocket}, every byte
 * verified. The self-signed EC key is generated with {@code keytool} when the test starts and
 * serves as both key store and trust store.
 */
class SslIT {
  private static final String PASSWORD = "changeit";
  private static final String[] EXPECTED = {
    "ssl clients=100 bytes=1024000 protocol=TLSv1.3",
    "ssl served=100",
    "SSL_APP OK"
  };

  @TempDir
  static Path dir;

  private static Path keyStore;

  @BeforeAll
  static void generateKeyStore() throws Exception {
    keyStore = dir.resolve("test.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = List.of(keytool.toString(), "-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(),
        "-storepass", PASSWORD, "-keypass", PASSWORD, "-alias", "test");
    Path log = dir.resolve("keytool.log");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("keytool did not finish within 120 s: " + command);
    }
    String output = read(log);
    assertTrue(p.exitValue() == 0 && Files.size(keyStore) > 0,
        () -> "keytool failed (exit " + p.exitValue() + "): " + command + "\n" + output);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  private static AgentJvm.Builder app() {
    return AgentJvm.app(SslApp.class)
        .systemProperty("javax.net.ssl.keyStore", keyStore.toString())
        .systemProperty("javax.net.ssl.keyStorePassword", PASSWORD)
        .systemProperty("javax.net.ssl.trustStore", keyStore.toString())
        .systemProperty("javax.net.ssl.trustStorePassword", PASSWORD)
        .systemProperty("javax.net.ssl.trustStoreType", "PKCS12");
  }

  @ParameterizedTest(name = "loop={0}")
  @MethodSource("gevent4j.it.harness.Loops#all")
  void passesUnderAgent(String loop) {
    app().loop(loop).run().assertSucceeded(EXPECTED);
  }

  @Test
  void passesWithoutAgent() {
    app().run().assertSucceeded(EXPECTED);
  }
}

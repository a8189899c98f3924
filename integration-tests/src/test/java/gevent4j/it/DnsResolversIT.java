package gevent4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import gevent4j.it.apps.DnsBatchApp;
import gevent4j.it.apps.DnsjavaApp;
import gevent4j.it.apps.ResolverExitApp;
import gevent4j.it.apps.SlowDnsServer;
import gevent4j.it.harness.AgentJvm;
import gevent4j.it.harness.RunResult;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code resolver=dnsjava} and {@code resolver=ares} on every loop against a real DNS server:
 * Debian's {@code dnsmasq} on a free loopback port ({@code resolver_nameservers=127.0.0.1:<port>}), serving a hosts file with a name of several
 * IPv4 and IPv6 addresses, an IPv6-only name, a name with only a TXT record (no data) and the
 * local zone {@code g4j.test} (NXDOMAIN for everything else); then {@link SlowDnsServer} to show
 * that the lookups of many greenlets overlap, and a silent server for {@code resolver_timeout}.
 * Needs {@code dnsmasq} (and root, to let dnsmasq keep running as root) and, for {@code ares},
 * c-ares ({@code libcares.so.2}); without them the test fails, it never skips.
 */
class DnsResolversIT {
  private static final String HOSTS = """
      10.1.0.1 multi.g4j.test
      10.1.0.2 multi.g4j.test
      10.1.0.3 multi.g4j.test
      2001:db8::1 multi.g4j.test
      2001:db8::2 v6only.g4j.test
      10.1.0.9 single.g4j.test
      """;
  private static final String[] NAMES = {"multi.g4j.test", "MULTI.g4j.test.",
      "v6only.g4j.test", "single.g4j.test", "nx.g4j.test",
      "txtonly.g4j.test", "localhost", "192.0.2.1", "ptr:10.1.0.9", "ptr:10.1.0.77"};
  private static final String[] EXPECTED_V4_FIRST = {
      "name multi.g4j.test -> 10.1.0.1,10.1.0.2,10.1.0.3,2001:db8:0:0:0:0:0:1",
      "name v6only.g4j.test -> 2001:db8:0:0:0:0:0:2",
      "name MULTI.g4j.test. -> 10.1.0.1,10.1.0.2,10.1.0.3,2001:db8:0:0:0:0:0:1",
      "name single.g4j.test -> 10.1.0.9",
      "name nx.g4j.test -> UnknownHostException nx.g4j.test: Name or service not known",
      "name txtonly.g4j.test -> UnknownHostException txtonly.g4j.test: No address associated with hostname",
      "name 192.0.2.1 -> 192.0.2.1",
      "ptr 10.1.0.9 -> single.g4j.test",
      "ptr 10.1.0.77 -> 10.1.0.77"};
  private static final long SLOW_DELAY_MILLIS = 300;

  private static Path dir;
  private static Process dnsmasq;
  /** The upstream dnsmasq forwards {@code unanswered.test} to: it never answers. */
  private static DatagramSocket silentUpstream;
  private static Path dnsmasqLog;
  private static int port;

  @BeforeAll
  static void startDnsmasq() throws Exception {
    Path binary = List.of("/usr/sbin/dnsmasq", "/usr/bin/dnsmasq", "/sbin/dnsmasq").stream().map(Path::of)
        .filter(Files::isExecutable).findFirst()
        .orElseThrow(() -> new AssertionError("dnsmasq is not installed; DnsResolversIT needs it as its DNS server "
            + "(apt-get install -y dnsmasq, as root; bin/test installs it)"));
    boolean root = "root".equals(System.getProperty("user.name"));
    dir = Files.createTempDirectory("g4j-dns-it", PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwxr-xr-x")));
    Path hosts = Files.writeString(dir.resolve("hosts"), HOSTS);
    dnsmasqLog = dir.resolve("dnsmasq.log");
    silentUpstream = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    for (int attempt = 0; attempt < 5 && dnsmasq == null; attempt++) {
      port = freePort();
      List<String> command = List.of(binary.toString(), "--no-daemon", "--conf-file=/dev/null", "--no-resolv",
          "--no-hosts", "--addn-hosts=" + hosts, "--port=" + port, "--listen-address=127.0.0.1",
          "--bind-interfaces", "--local=/g4j.test/", "--txt-record=txtonly.g4j.test,only-text",
          "--server=/unanswered.test/127.0.0.1#" + silentUpstream.getLocalPort(),
          "--pid-file=" + dir.resolve("pid"), "--log-queries", "--log-facility=" + dnsmasqLog,
          "--user=" + (root ? "root" : System.getProperty("user.name")));
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(dir.resolve("dnsmasq.out").toFile()).start();
      if (awaitListening(p)) {
        dnsmasq = p;
      } else {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        if (attempt == 4) {
          fail("dnsmasq did not start on 127.0.0.1:" + port + (root ? "" : " (not root: dnsmasq may need root)")
              + ": " + command + "\n" + Files.readString(dir.resolve("dnsmasq.out")));
        }
      }
    }
  }

  @AfterAll
  static void stopDnsmasq() throws Exception {
    if (dnsmasq != null) {
      dnsmasq.destroy();
      dnsmasq.waitFor(10, TimeUnit.SECONDS);
    }
    if (silentUpstream != null) {
      silentUpstream.close();
    }
  }

  private static boolean awaitListening(Process p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        return false;
      }
      // The port being taken is not enough: another process may hold it, while this dnsmasq
      // fails with "Address already in use" and exits. It says "started" once it listens.
      String out = Files.readString(dir.resolve("dnsmasq.out"));
      if (out.contains("failed to create listening socket")) {
        return false;
      }
      if (out.contains("dnsmasq: started")) {
        try (ServerSocket probe = new ServerSocket()) {
          probe.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (IOException bound) {
          return p.isAlive();
        }
      }
      Thread.sleep(50);
    }
    return false;
  }

  /**
   * A port free for both UDP and TCP on 127.0.0.1 (dnsmasq binds both), chosen below the kernel's
   * ephemeral range: a port the kernel hands out itself may be free for UDP yet held by one of the
   * thousands of TCP connections earlier tests leave in TIME_WAIT, and dnsmasq then fails with
   * "Address already in use" (seen in CI after the echo scale tests).
   */
  private static int freePort() throws IOException {
    int ephemeralLow = 32768;
    try {
      ephemeralLow = Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
          .trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException unreadable) {
      // keep Linux's default lower bound
    }
    int low = 10_000;
    int high = Math.max(low + 1_000, ephemeralLow);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int tries = 0; tries < 500; tries++) {
      int candidate = random.nextInt(low, high);
      try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", candidate));
           ServerSocket tcp = new ServerSocket()) {
        tcp.bind(new InetSocketAddress("127.0.0.1", candidate));
        return candidate;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IOException("no port free for both UDP and TCP in 127.0.0.1:" + low + ".." + high);
  }

  /** The resolvers that answer lookups themselves. */
  private static final List<String> RESOLVERS = List.of("dnsjava", "ares");

  /** Every resolver of {@link #RESOLVERS} on every loop of {@code gevent4j.it.loops}. */
  static List<Arguments> resolversAndLoops() {
    List<Arguments> all = new ArrayList<>();
    for (String resolver : RESOLVERS) {
      for (String loop : gevent4j.it.harness.Loops.all()) {
        all.add(Arguments.of(resolver, loop));
      }
    }
    return all;
  }

  /** Fails (never skips) when c-ares is missing, before any ares test runs. */
  @BeforeAll
  static void requireCares() {
    boolean found = List.of("/usr/lib/x86_64-linux-gnu/libcares.so.2", "/usr/lib/aarch64-linux-gnu/libcares.so.2",
        "/lib/x86_64-linux-gnu/libcares.so.2", "/usr/lib/libcares.so.2", "/usr/lib64/libcares.so.2").stream()
        .map(Path::of).anyMatch(Files::exists);
    if (!found) {
      fail("libcares.so.2 is not installed; DnsResolversIT tests resolver=ares with it "
          + "(apt-get install -y libc-ares2, as root; bin/test installs it)");
    }
  }

  private static AgentJvm.Builder app(String resolver, String loop, String settings, String... args) {
    return AgentJvm.app(DnsjavaApp.class).agent("loop=" + loop + ",resolver=" + resolver + "," + settings)
        .systemProperty("networkaddress.cache.ttl", "0").systemProperty("sun.net.inetaddr.ttl", "0")
        .systemProperty("sun.net.inetaddr.negative.ttl", "0").args(args);
  }

  private static String[] args(int threads, String... names) {
    List<String> all = new ArrayList<>();
    all.add(Integer.toString(threads));
    all.addAll(List.of(names));
    return all.toArray(String[]::new);
  }

  @ParameterizedTest(name = "resolver={0} loop={1}")
  @MethodSource("resolversAndLoops")
  void answersLikeTheJdkFromManyGreenlets(String resolver, String loop) {
    RunResult result = app(resolver, loop, "resolver_nameservers=127.0.0.1:" + port, args(20, NAMES)).run();
    result.assertExitZero().assertStdoutHasLines(EXPECTED_V4_FIRST).assertStderrEmpty();
  }

  /** {@code /etc/hosts} is this machine's, so the expected answer is the JDK's own, without the agent. */
  @ParameterizedTest(name = "resolver={0} loop={1}")
  @MethodSource("resolversAndLoops")
  void etcHostsAnswersAsForTheJdk(String resolver, String loop) {
    String[] names = args(5, "localhost", "ptr:127.0.0.1", InetAddressName.LOCAL);
    RunResult jdk = AgentJvm.app(DnsjavaApp.class).args(names).run().assertExitZero();
    RunResult ours = app(resolver, loop, "resolver_nameservers=127.0.0.1:" + port, names).run().assertExitZero();
    assertEquals(jdk.stdoutLines().subList(0, 3), ours.stdoutLines().subList(0, 3), ours::toString);
  }

  private static final class InetAddressName {
    /** This machine's name, which Debian's /etc/hosts (or a container's) lists. */
    static final String LOCAL = hostname();

    private static String hostname() {
      try {
        return Files.readString(Path.of("/etc/hostname")).strip();
      } catch (IOException e) {
        return "localhost";
      }
    }
  }

  @ParameterizedTest(name = "resolver={0}")
  @MethodSource("resolvers")
  void preferIpv6AddressesPutsIpv6First(String resolver) {
    RunResult result = app(resolver, "jdk", "resolver_nameservers=127.0.0.1:" + port, args(5, "multi.g4j.test"))
        .systemProperty("java.net.preferIPv6Addresses", "true").run();
    result.assertExitZero().assertStdoutHasLines("name multi.g4j.test -> 2001:db8:0:0:0:0:0:1,10.1.0.1,10.1.0.2,10.1.0.3");
  }

  @Test
  void dnspythonIsAnAliasAndTheNameserverKeepsItsPort() {
    RunResult result = AgentJvm.app(DnsjavaApp.class)
        .agent("loop=jdk,resolver=dnspython,resolver_nameservers=127.0.0.1:" + port)
        .args(args(1, "single.g4j.test")).run();
    result.assertExitZero().assertStdoutHasLines("name single.g4j.test -> 10.1.0.9");
  }

  @ParameterizedTest(name = "resolver={0} loop={1}")
  @MethodSource("resolversAndLoops")
  void concurrentLookupsOfOneNameShareOneQuery(String resolver, String loop) throws Exception {
    String name = "coalesce-" + resolver + "-" + loop + ".g4j.test";
    app(resolver, loop, "resolver_nameservers=127.0.0.1:" + port, args(50, name)).run().assertExitZero();
    Thread.sleep(200);
    long queries = Files.readAllLines(dnsmasqLog).stream().filter(l -> l.contains("query[A] " + name + " ")).count();
    assertEquals(1, queries, "dnsmasq's log should show one A query for 50 concurrent lookups of " + name);
  }

  @ParameterizedTest(name = "resolver={0} loop={1}")
  @MethodSource("resolversAndLoops")
  void slowServerLookupsOverlap(String resolver, String loop) throws Exception {
    try (AgentJvm server = AgentJvm.app(SlowDnsServer.class).args("0", Long.toString(SLOW_DELAY_MILLIS)).start()) {
      int slowPort = server.awaitListeningPort();
      RunResult result = AgentJvm.app(DnsBatchApp.class)
          .agent("loop=" + loop + ",resolver=" + resolver + ",resolver_nameservers=127.0.0.1:" + slowPort)
          .systemProperty("sun.net.inetaddr.ttl", "0").systemProperty("sun.net.inetaddr.negative.ttl", "0")
          .args("200", "5").run();
      result.assertSucceeded("DNS_BATCH_APP OK");
      Matcher m = Pattern.compile("lookups=205 elapsed_ms=(\\d+)").matcher(result.stdout());
      assertTrue(m.find(), result::toString);
      long elapsed = Long.parseLong(m.group(1));
      System.out.printf("DnsResolversIT resolver=%s loop=%s: 205 lookups (A and AAAA), server delay %d ms: %d ms%n",
          resolver, loop, SLOW_DELAY_MILLIS, elapsed);
      // One after another they would take at least 205 x 300 ms (A and AAAA together); overlapping,
      // about 2 x 300 ms on a quiet machine. The bound is a quarter of the serial time, so that a
      // slow or loaded machine (several seconds for the cold first batch) cannot fail it, while a
      // resolver that does not overlap lookups always does.
      long serialMillis = 205L * SLOW_DELAY_MILLIS;
      assertTrue(elapsed < serialMillis / 4, () -> elapsed + " ms: lookups did not overlap (serial: "
          + serialMillis + " ms)\n" + result);
    }
  }

  /** As the JDK's own lookup, ours is not ended by an interrupt, which it leaves set. */
  @ParameterizedTest(name = "resolver={0} loop={1}")
  @MethodSource("resolversAndLoops")
  void anInterruptNeitherEndsALookupNorIsLost(String resolver, String loop) throws Exception {
    try (AgentJvm server = AgentJvm.app(SlowDnsServer.class).args("0", Long.toString(SLOW_DELAY_MILLIS)).start()) {
      int slowPort = server.awaitListeningPort();
      String name = "interrupted.slow.test";
      RunResult result = app(resolver, loop, "resolver_nameservers=127.0.0.1:" + slowPort, "1", "interrupt:" + name)
          .run();
      result.assertExitZero().assertStdoutHasLines(
          "interrupted " + name + " -> " + SlowDnsServer.addressFor(name) + " still_interrupted=true");
    }
  }

  @ParameterizedTest(name = "resolver={0} loop={1}")
  @MethodSource("resolversAndLoops")
  void resolverTimeoutEndsTheLookup(String resolver, String loop) throws Exception {
    try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      RunResult result = app(resolver, loop, "resolver_nameservers=127.0.0.1:" + silent.getLocalPort() + ",resolver_timeout=0.5",
          args(10, "quiet.g4j.test")).run();
      result.assertExitZero().assertStdoutHasLines(
          "name quiet.g4j.test -> UnknownHostException quiet.g4j.test: DNS lookup timed out after 0.5s (resolver_timeout)");
      Matcher m = Pattern.compile("DNSJAVA_APP OK (\\d+)").matcher(result.stdout());
      assertTrue(m.find(), result::toString);
      long elapsed = Long.parseLong(m.group(1));
      assertTrue(elapsed >= 450 && elapsed < 3000, () -> elapsed + " ms for ten lookups bounded by 0.5 s\n" + result);
    }
  }

  static List<String> resolvers() {
    return RESOLVERS;
  }

  /** Every loop with every way of ending the JVM of {@link ResolverExitApp}. */
  static List<Arguments> loopsAndExits() {
    List<Arguments> all = new ArrayList<>();
    for (String loop : gevent4j.it.harness.Loops.all()) {
      for (String how : List.of("return", "exit", "thread-exit")) {
        all.add(Arguments.of(loop, how));
      }
    }
    return all;
  }

  /**
   * The c-ares channel is destroyed when the JVM ends, whichever way it ends, after the
   * application's shutdown hooks (whose lookups it still answers), with a query still pending:
   * the exit code is the application's, nothing but the agent's own debug lines reach stderr,
   * and the agent says it destroyed the channel.
   */
  @ParameterizedTest(name = "loop={0} end={1}")
  @MethodSource("loopsAndExits")
  void aresChannelIsDestroyedAtExit(String loop, String how) {
    RunResult result = AgentJvm.app(ResolverExitApp.class)
        .agent("loop=" + loop + ",resolver=ares,log_level=debug,resolver_nameservers=127.0.0.1:" + port)
        .systemProperty("networkaddress.cache.ttl", "0").systemProperty("sun.net.inetaddr.ttl", "0")
        .args(how, "single.g4j.test", "pending.unanswered.test").run();
    assertEquals(how.equals("return") ? 0 : 3, result.exitCode(), result::toString);
    result.assertStdoutHasLines("main single.g4j.test -> 10.1.0.9", "pending pending.unanswered.test",
        "hook single.g4j.test -> 10.1.0.9");
    List<String> noise = result.stderrLines().stream().filter(l -> !l.startsWith("gevent4j: DEBUG ")).toList();
    assertEquals(List.of(), noise, result::toString);
    assertTrue(result.stderrLines().contains("gevent4j: DEBUG ares: c-ares channel destroyed at exit"),
        result::toString);
  }

  @Test
  void infoListsAresWithItsVersion() {
    AgentJvm.agentJarCommand("info", "loop=jdk,resolver=ares").run().assertExitZero()
        .assertStdoutContains("ares: available (c-ares 1.", "-> would use: ares");
  }

  @Test
  void infoListsDnsjavaAndNotesIgnoredSettings() {
    AgentJvm.agentJarCommand("info", "loop=jdk,resolver=dnsjava").run().assertExitZero()
        .assertStdoutContains("dnsjava: available", "-> would use: dnsjava");
    AgentJvm.agentJarCommand("info", "loop=jdk,resolver=thread,resolver_timeout=2,resolver_nameservers=127.0.0.1")
        .run().assertExitZero()
        .assertStdoutContains("-> would use: thread", "note: resolver_timeout is set but only the dnsjava and ares",
            "note: resolver_nameservers is set but only the dnsjava and ares");
  }
}

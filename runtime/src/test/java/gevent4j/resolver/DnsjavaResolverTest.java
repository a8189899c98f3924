package gevent4j.resolver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver.LookupPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * {@link DnsjavaResolver} against stub UDP servers on loopback (answers 200 ms late, counts the
 * queries it gets and notes where they came from), from platform threads: no agent, so the
 * sockets simply block. The second server only answers what the first one mangles on purpose.
 * The tests marked {@code mayWait} run both ways a lookup carries its queries: over the shared
 * sockets (true: any thread but the Hub's) and over sockets of its own (false: the Hub's thread).
 */
class DnsjavaResolverTest {
    private static final int BOTH_V4_FIRST = LookupPolicy.IPV4 | LookupPolicy.IPV6 | LookupPolicy.IPV4_FIRST;
    private static final int BOTH_V6_FIRST = LookupPolicy.IPV4 | LookupPolicy.IPV6 | LookupPolicy.IPV6_FIRST;
    private static final long DELAY_MILLIS = 200;
    /** What the stub answers for {@code multi.*}, both families, IPv4 first. */
    private static final List<String> MULTI = List.of("10.0.0.1", "10.0.0.2", "2001:db8:0:0:0:0:0:1");

    private static DatagramSocket server;
    private static DatagramSocket second;
    private static ScheduledExecutorService replies;
    private static final Map<String, AtomicInteger> QUERIES = new ConcurrentHashMap<>();
    /** The source port of each query, by {@code name/type}. */
    private static final Map<String, Integer> SOURCE_PORTS = new ConcurrentHashMap<>();
    /** The queries that arrived while another query for the same name was still unanswered. */
    private static final Map<String, Boolean> OVERLAPPED = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> UNANSWERED = new ConcurrentHashMap<>();
    /** Names {@code held.*} are answered only once this many of their queries have arrived, all at once. */
    private static final int HELD_QUERIES = 80;
    private static final List<Runnable> HELD = new ArrayList<>();

    @TempDir
    static Path dir;

    @BeforeAll
    static void startStub() throws Exception {
        server = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        second = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        replies = Executors.newScheduledThreadPool(1);
        for (DatagramSocket s : List.of(server, second)) {
            Thread t = new Thread(() -> serve(s), "stub-dns");
            t.setDaemon(true);
            t.start();
        }
    }

    @AfterAll
    static void stop() {
        server.close();
        second.close();
        replies.shutdownNow();
    }

    private static void serve(DatagramSocket socket) {
        byte[] buf = new byte[512];
        boolean first = socket == server;
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                Message q = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                Record question = q.getQuestion();
                String name = question.getName().toString();
                String key = (first ? "" : "second:") + name + "/" + Type.string(question.getType());
                QUERIES.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                SOURCE_PORTS.put(key, p.getPort());
                AtomicInteger unanswered = UNANSWERED.computeIfAbsent(name, k -> new AtomicInteger());
                OVERLAPPED.put(key, unanswered.getAndIncrement() > 0);
                if (name.startsWith("silent.") || name.startsWith("nxsilent.") && question.getType() != Type.A) {
                    continue;
                }
                Message r = new Message(q.getHeader().getID());
                r.getHeader().setFlag(Flags.QR);
                r.getHeader().setFlag(Flags.RA);
                r.addRecord(question, Section.QUESTION);
                Name n = question.getName();
                if (name.startsWith("nx")) {
                    r.getHeader().setRcode(Rcode.NXDOMAIN);
                } else if ((name.startsWith("multi.") || name.startsWith("split.")) && question.getType() == Type.A) {
                    r.addRecord(new ARecord(n, DClass.IN, 60, InetAddress.ofLiteral("10.0.0.1")), Section.ANSWER);
                    r.addRecord(new ARecord(n, DClass.IN, 60, InetAddress.ofLiteral("10.0.0.2")), Section.ANSWER);
                } else if ((name.startsWith("multi.") || name.startsWith("split.")) && question.getType() == Type.AAAA) {
                    r.addRecord(new AAAARecord(n, DClass.IN, 60, InetAddress.ofLiteral("2001:db8::1")), Section.ANSWER);
                } else if (name.equals("2.0.0.10.in-addr.arpa.") && question.getType() == Type.PTR) {
                    r.addRecord(new PTRRecord(n, DClass.IN, 60, Name.fromString("multi.test.")), Section.ANSWER);
                }
                byte[] out = r.toWire();
                if (first && name.startsWith("split.") && question.getType() == Type.AAAA) {
                    // One answer record more announced than there is: dnsjava cannot parse this, so
                    // the query moves on to the second server while the A query still waits here.
                    out[7]++;
                }
                java.net.SocketAddress from = p.getSocketAddress();
                if (name.startsWith("held.")) {
                    synchronized (HELD) {
                        HELD.add(() -> {
                            try {
                                socket.send(new DatagramPacket(out, out.length, from));
                            } catch (java.io.IOException ignored) {
                                // the test is over
                            }
                        });
                        if (HELD.size() == HELD_QUERIES) {
                            HELD.forEach(Runnable::run);
                        }
                    }
                    continue;
                }
                // The first server's A answer for split.* comes after the mangled AAAA one, so that
                // the A query still waits there while the AAAA query is on the second server.
                long delay = first && name.startsWith("split.") && question.getType() == Type.A
                    ? 2 * DELAY_MILLIS : DELAY_MILLIS;
                replies.schedule(() -> {
                    unanswered.decrementAndGet();
                    try {
                        socket.send(new DatagramPacket(out, out.length, from));
                    } catch (java.io.IOException ignored) {
                        // the test is over
                    }
                }, delay, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    private DnsjavaResolver resolver(Duration total) throws Exception {
        return resolver(total, List.of("127.0.0.1:" + server.getLocalPort()));
    }

    private DnsjavaResolver resolver(Duration total, List<String> nameservers) throws Exception {
        return resolver(total, nameservers, "options timeout:1 attempts:1\n");
    }

    private DnsjavaResolver resolver(Duration total, List<String> nameservers, String resolvConf)
            throws Exception {
        Path hosts = Files.writeString(dir.resolve("hosts"), "10.9.9.9 fromhosts.test alias.test\n"
            + "2001:db8::9 fromhosts.test\n");
        ResolvConf conf = ResolvConf.parse(resolvConf, Map.of()).withNameservers(nameservers);
        return new DnsjavaResolver(conf, new HostsFile(hosts), total, readers);
    }

    /** The readers of the shared sockets, each a virtual thread, kept to see when they end. */
    private static final class Readers implements java.util.concurrent.ThreadFactory {
        final List<Thread> made = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public Thread newThread(Runnable r) {
            Thread t = Thread.ofVirtual().name("reader").unstarted(r);
            made.add(t);
            return t;
        }

        /** Whether every reader made so far has ended, waiting up to 10 s for them. */
        boolean allEnded() throws InterruptedException {
            for (Thread t : List.copyOf(made)) {
                if (!t.join(Duration.ofSeconds(10))) {
                    return false;
                }
            }
            return true;
        }
    }

    private final Readers readers = new Readers();

    private static List<String> addresses(List<InetAddress> list) {
        return list.stream().map(InetAddress::getHostAddress).toList();
    }

    @Test
    void dnsjavaIsWarmedUpOnTheGivenExecutorNotOnTheCaller() throws Exception {
        List<Thread> ranOn = new ArrayList<>();
        List<Runnable> queued = new ArrayList<>();
        DnsjavaResolver.create(List.of("127.0.0.1"), null, queued::add, Thread.ofVirtual().factory());
        assertEquals(1, queued.size(), "one warm-up task, left to the executor");
        Thread t = new Thread(() -> {
            queued.get(0).run();
            ranOn.add(Thread.currentThread());
        });
        t.start();
        t.join();
        assertEquals(1, ranOn.size(), "the warm-up never throws");
        assertTrue(DnsjavaWarmUp.run(ResolvConf.parse("", Map.of()).withNameservers(List.of("127.0.0.1"))),
            "the warm-up lookup found an address of each family");
        // An executor that refuses the task costs only slower first lookups.
        DnsjavaResolver.create(List.of("127.0.0.1"), null, task -> {
            throw new java.util.concurrent.RejectedExecutionException("shut down");
        }, Thread.ofVirtual().factory());
    }

    @ParameterizedTest(name = "mayWait={0}")
    @ValueSource(booleans = {true, false})
    void everyAddressInTheJdksOrder(boolean mayWait) throws Exception {
        DnsjavaResolver r = resolver(null);
        assertEquals(MULTI,
            addresses(r.lookupByName("multi.test", BOTH_V4_FIRST, mayWait)));
        List<InetAddress> v6first = r.lookupByName("multi.test", BOTH_V6_FIRST, mayWait);
        assertEquals(List.of("2001:db8:0:0:0:0:0:1", "10.0.0.1", "10.0.0.2"), addresses(v6first));
        assertEquals("multi.test", v6first.get(0).getHostName(), "the name as asked, like the builtin resolver");
        assertEquals(List.of("10.0.0.1", "10.0.0.2"),
            addresses(r.lookupByName("multi.test", LookupPolicy.IPV4, mayWait)));
    }

    @ParameterizedTest(name = "mayWait={0}")
    @ValueSource(booleans = {true, false})
    void nxdomainAndNodataAreUnknownHost(boolean mayWait) throws Exception {
        DnsjavaResolver r = resolver(null);
        String nxName = "nx1." + mayWait + ".test";
        UnknownHostException nx = assertThrows(UnknownHostException.class,
            () -> r.lookupByName(nxName, BOTH_V4_FIRST, mayWait));
        assertEquals(nxName + ": Name or service not known", nx.getMessage());
        assertEquals(1, QUERIES.get(nxName + "./A").get());
        assertEquals(1, QUERIES.get(nxName + "./AAAA").get(), "both families are asked at once, as glibc asks");
        UnknownHostException nodata = assertThrows(UnknownHostException.class,
            () -> r.lookupByName("nodata.test", BOTH_V4_FIRST, mayWait));
        assertEquals("nodata.test: No address associated with hostname", nodata.getMessage());
    }

    @ParameterizedTest(name = "mayWait={0}")
    @ValueSource(booleans = {true, false})
    void nxdomainForOneFamilyEndsTheLookupWithoutWaitingForTheOther(boolean mayWait) throws Exception {
        // A is answered NXDOMAIN, AAAA never: with two attempts, a lookup that waited for AAAA
        // would time it out and ask again before it returned.
        DnsjavaResolver r = resolver(null, List.of("127.0.0.1:" + server.getLocalPort()),
            "options timeout:1 attempts:2\n");
        String name = "nxsilent." + mayWait + ".test";
        UnknownHostException nx = assertThrows(UnknownHostException.class,
            () -> r.lookupByName(name, BOTH_V4_FIRST, mayWait));
        assertEquals(name + ": Name or service not known", nx.getMessage());
        assertEquals(1, QUERIES.get(name + "./A").get());
        assertEquals(1, QUERIES.get(name + "./AAAA").get(), "AAAA was not asked again: " + QUERIES);
    }

    @ParameterizedTest(name = "mayWait={0}")
    @ValueSource(booleans = {true, false})
    void bothFamiliesLeaveTogetherFromOneSocket(boolean mayWait) throws Exception {
        DnsjavaResolver r = resolver(null);
        String name = "multi.together." + mayWait + ".test";
        assertEquals(MULTI,
            addresses(r.lookupByName(name, BOTH_V4_FIRST, mayWait)));
        assertTrue(OVERLAPPED.get(name + "./AAAA") || OVERLAPPED.get(name + "./A"),
            "the second family's query was sent before the first one's answer: " + OVERLAPPED);
        assertEquals(SOURCE_PORTS.get(name + "./A"), SOURCE_PORTS.get(name + "./AAAA"),
            "one socket for the lookup's queries to one server");
    }

    @ParameterizedTest(name = "mayWait={0}")
    @ValueSource(booleans = {true, false})
    void familiesWaitingOnTwoServersAtOnceAreBothAnswered(boolean mayWait) throws Exception {
        DnsjavaResolver r = resolver(null, List.of("127.0.0.1:" + server.getLocalPort(),
            "127.0.0.1:" + second.getLocalPort()));
        String name = "split." + mayWait + ".test";
        assertEquals(MULTI,
            addresses(r.lookupByName(name, BOTH_V4_FIRST, mayWait)));
        assertEquals(1, QUERIES.get(name + "./A").get(), "A answered by the first server: " + QUERIES);
        assertEquals(1, QUERIES.get("second:" + name + "./AAAA").get(),
            "AAAA moved on to the second server: " + QUERIES);
        assertEquals(null, QUERIES.get("second:" + name + "./A"), QUERIES.toString());
    }

    @Test
    void hostsFileLocalhostAndLiteralsNeverReachTheServer() throws Exception {
        DnsjavaResolver r = resolver(null);
        assertEquals(List.of("10.9.9.9", "2001:db8:0:0:0:0:0:9"),
            addresses(r.lookupByName("fromhosts.test", BOTH_V4_FIRST, true)));
        assertEquals(List.of("10.9.9.9"), addresses(r.lookupByName("ALIAS.test", BOTH_V4_FIRST, true)));
        assertEquals(List.of("127.0.0.1", "0:0:0:0:0:0:0:1"), addresses(r.lookupByName("localhost", BOTH_V4_FIRST, true)));
        assertEquals(List.of("192.0.2.7"), addresses(r.lookupByName("192.0.2.7", BOTH_V4_FIRST, true)));
        assertEquals(List.of("0:0:0:0:0:0:0:1"), addresses(r.lookupByName("::1", BOTH_V4_FIRST, true)));
        assertEquals("fromhosts.test", r.lookupByAddress(new byte[] {10, 9, 9, 9}, true));
        assertTrue(QUERIES.keySet().stream().noneMatch(k -> k.contains("fromhosts") || k.contains("localhost")
            || k.contains("alias") || k.contains("192")), QUERIES.toString());
    }

    @Test
    void reverseLookupAsksForPtr() throws Exception {
        DnsjavaResolver r = resolver(null);
        assertEquals("multi.test", r.lookupByAddress(new byte[] {10, 0, 0, 2}, true));
        assertThrows(UnknownHostException.class, () -> r.lookupByAddress(new byte[] {10, 0, 0, 3}, true));
    }

    @Test
    void concurrentIdenticalLookupsShareOneQuery() throws Exception {
        DnsjavaResolver r = resolver(null);
        List<Thread> threads = new ArrayList<>();
        List<List<InetAddress>> answers = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 20; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    answers.add(r.lookupByName("multi.coalesce.test", BOTH_V4_FIRST, true));
                } catch (UnknownHostException e) {
                    throw new AssertionError(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(20, answers.size());
        assertEquals(1, QUERIES.get("multi.coalesce.test./A").get(), QUERIES.toString());
        assertEquals(1, QUERIES.get("multi.coalesce.test./AAAA").get(), QUERIES.toString());
    }

    @ParameterizedTest(name = "mayWait={0}")
    @ValueSource(booleans = {true, false})
    void resolverTimeoutBoundsTheWholeLookup(boolean mayWait) throws Exception {
        DnsjavaResolver r = resolver(Duration.ofMillis(400));
        long t0 = System.nanoTime();
        UnknownHostException e = assertThrows(UnknownHostException.class,
            () -> r.lookupByName("silent.test", BOTH_V4_FIRST, mayWait));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals("silent.test: DNS lookup timed out after 0.4s (resolver_timeout)", e.getMessage());
        assertTrue(millis >= 350 && millis < 900, millis + " ms");
    }

    @Test
    void lookupsInFlightTogetherShareSocketsOfAtMost32Queries() throws Exception {
        // 40 lookups, 80 queries, all pending at once: the stub answers none of them before it has
        // them all.
        DnsjavaResolver r = resolver(null);
        List<Thread> threads = new ArrayList<>();
        AtomicInteger answered = new AtomicInteger();
        for (int i = 0; i < HELD_QUERIES / 2; i++) {
            String name = "held.burst" + i + ".test";
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    r.lookupByName(name, BOTH_V4_FIRST, true);
                } catch (UnknownHostException nodata) {
                    answered.incrementAndGet(); // held.* has no address: NODATA, answered all the same
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(HELD_QUERIES / 2, answered.get());
        Map<Integer, Integer> queriesByPort = new java.util.TreeMap<>();
        SOURCE_PORTS.forEach((key, port) -> {
            if (key.startsWith("held.burst")) {
                queriesByPort.merge(port, 1, Integer::sum);
            }
        });
        assertEquals(List.of(16, 32, 32), queriesByPort.values().stream().sorted().toList(),
            "80 queries on 3 sockets, none with more than " + SharedUdpSockets.QUERIES_PER_SOCKET);
        assertEquals(3, readers.made.size(), "one reader per socket");
        assertTrue(readers.allEnded(), "every socket closed with its last query, and its reader ended");
    }

    @Test
    void lookupsOneAfterTheOtherEachHaveASocketOfTheirOwn() throws Exception {
        DnsjavaResolver r = resolver(null);
        r.lookupByName("multi.first.test", BOTH_V4_FIRST, true);
        assertTrue(readers.allEnded(), "the socket closed with its last query");
        r.lookupByName("multi.second.test", BOTH_V4_FIRST, true);
        assertEquals(2, readers.made.size(), "a new socket (and source port) for the second lookup");
        assertTrue(readers.allEnded());
    }

    @Test
    void queriesWithTheSameIdOnOneSocketAreToldApartByTheirQuestion() throws Exception {
        SharedUdpSockets sockets = new SharedUdpSockets(readers);
        InetSocketAddress stub = new InetSocketAddress("127.0.0.1", server.getLocalPort());
        List<String> names = List.of("multi.ida.test.", "multi.idb.test.");
        List<CompletableFuture<byte[]>> answers = new ArrayList<>();
        try (SharedSocketsExchange exchange = new SharedSocketsExchange(sockets, -1)) {
            for (String name : names) {
                Message query = new Message(0x4242);
                query.getHeader().setFlag(Flags.RD);
                query.addRecord(Record.newRecord(Name.fromString(name), Type.A, DClass.IN), Section.QUESTION);
                answers.add(exchange.send(null, stub, query.toWire(), 512, TimeUnit.SECONDS.toNanos(5)));
            }
            exchange.await(answers.toArray(new CompletableFuture<?>[0]));
        }
        assertEquals(SOURCE_PORTS.get("multi.ida.test./A"), SOURCE_PORTS.get("multi.idb.test./A"), "one socket");
        for (int i = 0; i < names.size(); i++) {
            Message answer = new Message(answers.get(i).join());
            assertEquals(0x4242, answer.getHeader().getID());
            assertEquals(names.get(i), answer.getQuestion().getName().toString());
        }
    }

    @ParameterizedTest(name = "mayWait={0}")
    @ValueSource(booleans = {true, false})
    void aServerThatIsNotThereFailsTheLookupAtOnce(boolean mayWait) throws Exception {
        int closedPort = closedPort();
        // With a 5 s timeout only the ICMP "port unreachable" on the connected socket ends it early.
        DnsjavaResolver r = resolver(null, List.of("127.0.0.1:" + closedPort), "options timeout:5 attempts:1\n");
        UnknownHostException e = assertThrows(UnknownHostException.class,
            () -> r.lookupByName("multi.unreachable.test", BOTH_V4_FIRST, mayWait));
        assertTrue(hasCause(e, java.net.PortUnreachableException.class), "ended by the ICMP error: " + e);
        assertTrue(readers.allEnded());
    }

    @ParameterizedTest(name = "mayWait={0}")
    @ValueSource(booleans = {true, false})
    void interruptsAreIgnoredAsTheJdkIgnoresThemAndStaySet(boolean mayWait) throws Exception {
        DnsjavaResolver r = resolver(null, List.of("127.0.0.1:" + server.getLocalPort()),
            "options timeout:5 attempts:1\n");
        String name = "multi.interrupted." + mayWait + ".test";
        Looking looking = lookUpOnAThreadOfItsOwn(r, name, mayWait);
        awaitQuery(name + "./AAAA");
        looking.thread.interrupt();
        assertEquals(MULTI, addresses(looking.answer.get(10, TimeUnit.SECONDS)));
        assertTrue(looking.stillInterrupted.get(10, TimeUnit.SECONDS), "the interrupt is left for the caller");
        // A lookup started with the interrupt already set works as well, and leaves it set.
        Thread.currentThread().interrupt();
        try {
            assertEquals(List.of("10.0.0.1", "10.0.0.2"),
                addresses(r.lookupByName("multi.preinterrupted." + mayWait + ".test", LookupPolicy.IPV4, mayWait)));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        assertTrue(readers.allEnded());
    }

    @ParameterizedTest(name = "mayWait={0}")
    @ValueSource(booleans = {true, false})
    void aServerThatIsNotThereIsLeftForTheNextOne(boolean mayWait) throws Exception {
        int closedPort = closedPort();
        // With a 5 s timeout, only the ICMP error moves the queries on to the second server in time.
        DnsjavaResolver r = resolver(Duration.ofSeconds(4),
            List.of("127.0.0.1:" + closedPort, "127.0.0.1:" + server.getLocalPort()), "options timeout:5 attempts:1\n");
        String name = "multi.failover." + mayWait + ".test";
        assertEquals(MULTI,
            addresses(r.lookupByName(name, BOTH_V4_FIRST, mayWait)));
        assertEquals(1, QUERIES.get(name + "./A").get());
        assertEquals(1, QUERIES.get(name + "./AAAA").get());
        assertTrue(readers.allEnded());
    }

    @Test
    void aLookupInterruptedOnASharedSocketLeavesTheOthersOnItAnswered() throws Exception {
        DnsjavaResolver r = resolver(null, List.of("127.0.0.1:" + server.getLocalPort()),
            "options timeout:5 attempts:1\n");
        Looking first = lookUpOnAThreadOfItsOwn(r, "multi.interrupted.shared.test", true);
        awaitQuery("multi.interrupted.shared.test./AAAA");
        Looking other = lookUpOnAThreadOfItsOwn(r, "multi.neighbour.test", true);
        awaitQuery("multi.neighbour.test./AAAA");
        assertEquals(SOURCE_PORTS.get("multi.interrupted.shared.test./A"), SOURCE_PORTS.get("multi.neighbour.test./A"),
            "both lookups on one socket");
        first.thread.interrupt();
        assertEquals(MULTI, addresses(first.answer.get(10, TimeUnit.SECONDS)));
        assertEquals(MULTI, addresses(other.answer.get(10, TimeUnit.SECONDS)));
        assertTrue(readers.allEnded());
    }

    /** A lookup on a platform thread of its own: its answer, and whether its interrupt was set after it. */
    private record Looking(Thread thread, CompletableFuture<List<InetAddress>> answer,
            CompletableFuture<Boolean> stillInterrupted) {
    }

    private static Looking lookUpOnAThreadOfItsOwn(DnsjavaResolver r, String name, boolean mayWait) {
        CompletableFuture<List<InetAddress>> answer = new CompletableFuture<>();
        CompletableFuture<Boolean> stillInterrupted = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().start(() -> {
            try {
                answer.complete(r.lookupByName(name, BOTH_V4_FIRST, mayWait));
            } catch (UnknownHostException e) {
                answer.completeExceptionally(e);
            }
            stillInterrupted.complete(Thread.currentThread().isInterrupted());
        });
        return new Looking(thread, answer, stillInterrupted);
    }

    /** A loopback UDP port with nothing bound to it: a query sent there comes back as an ICMP error. */
    private static int closedPort() throws java.io.IOException {
        try (DatagramSocket gone = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            return gone.getLocalPort();
        }
    }

    private static void awaitQuery(String key) throws InterruptedException {
        for (int i = 0; i < 1000 && !QUERIES.containsKey(key); i++) {
            Thread.sleep(10);
        }
        assertTrue(QUERIES.containsKey(key), key + " never reached the server");
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}

package gevent4j.it.apps;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * A tiny, deliberately slow UDP DNS server for the zone {@code slow.test}: every answer is sent
 * {@code delayMillis} after its query arrived, from a scheduled executor, so a slow answer never
 * holds up the queries behind it.
 *
 * <ul>
 *   <li>{@code A} for a name under {@code .slow.test}: one address {@code 10.x.y.z},
 *       {@link #addressFor(String) derived from the name};
 *   <li>{@code AAAA} (or any other type) for such a name: NOERROR with no answer;
 *   <li>any query for a name whose first label starts with {@code nx-}: NXDOMAIN;
 *   <li>a name outside {@code slow.test}: REFUSED.
 * </ul>
 *
 * <p>Usage: {@code SlowDnsServer [port [delayMillis [bindAddress]]]} (defaults 53, 300,
 * 127.0.0.1). Prints {@code listening on <port>} once it receives queries, then runs until killed.
 * Test infrastructure, run without the agent.
 */
public final class SlowDnsServer {
  /** The zone this server answers for. */
  public static final String ZONE = "slow.test";

  private static final int TYPE_A = 1;
  private static final int RCODE_NXDOMAIN = 3;
  private static final int RCODE_REFUSED = 5;

  private SlowDnsServer() {}

  /** The one IPv4 address of {@code name} (case-insensitive, without a trailing dot): 10.x.y.z. */
  public static String addressFor(String name) {
    CRC32 crc = new CRC32();
    crc.update(canonical(name).getBytes(StandardCharsets.US_ASCII));
    long c = crc.getValue();
    return "10." + ((c >> 16) & 255) + "." + ((c >> 8) & 255) + "." + (c & 255);
  }

  private static String canonical(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 53;
    long delayMillis = args.length > 1 ? Long.parseLong(args[1]) : 300;
    InetAddress bind = InetAddress.getByName(args.length > 2 ? args[2] : "127.0.0.1");
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "dns-answers");
      t.setDaemon(true);
      return t;
    });
    try (DatagramChannel channel = DatagramChannel.open()) {
      // c-ares sends a whole batch (A and AAAA of hundreds of names) at once from one socket: with
      // the default buffer the kernel drops some, and they wait for the resolver's 5 s retry.
      channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
      channel.bind(new InetSocketAddress(bind, port));
      System.out.println("listening on " + ((InetSocketAddress) channel.getLocalAddress()).getPort());
      System.out.flush();
      ByteBuffer buf = ByteBuffer.allocate(4096);
      while (true) {
        buf.clear();
        SocketAddress from = channel.receive(buf);
        buf.flip();
        byte[] query = new byte[buf.remaining()];
        buf.get(query);
        byte[] answer;
        try {
          answer = answer(query);
        } catch (RuntimeException malformed) {
          continue;
        }
        scheduler.schedule(() -> {
          try {
            channel.send(ByteBuffer.wrap(answer), from);
          } catch (Exception e) {
            e.printStackTrace();
          }
        }, delayMillis, TimeUnit.MILLISECONDS);
      }
    }
  }

  /** The response to one query message. */
  static byte[] answer(byte[] q) {
    if (q.length < 12 || (q[2] & 0x80) != 0) {
      throw new IllegalArgumentException("not a query");
    }
    int qdcount = ((q[4] & 255) << 8) | (q[5] & 255);
    if (qdcount != 1) {
      throw new IllegalArgumentException("qdcount " + qdcount);
    }
    StringBuilder name = new StringBuilder();
    int p = 12;
    while (true) {
      int len = q[p] & 255;
      p++;
      if (len == 0) {
        break;
      }
      if (len > 63) {
        throw new IllegalArgumentException("compressed or bad label");
      }
      if (name.length() > 0) {
        name.append('.');
      }
      name.append(new String(q, p, len, StandardCharsets.US_ASCII));
      p += len;
    }
    int qtype = ((q[p] & 255) << 8) | (q[p + 1] & 255);
    int questionEnd = p + 4;
    String n = canonical(name.toString());

    int rcode = 0;
    byte[] rdata = null;
    if (!(n.equals(ZONE) || n.endsWith("." + ZONE))) {
      rcode = RCODE_REFUSED;
    } else if (n.startsWith("nx-")) {
      rcode = RCODE_NXDOMAIN;
    } else if (qtype == TYPE_A) {
      rdata = new byte[4];
      String[] parts = addressFor(n).split("\\.");
      for (int i = 0; i < 4; i++) {
        rdata[i] = (byte) Integer.parseInt(parts[i]);
      }
    }

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(q[0]);
    out.write(q[1]); // id
    out.write(0x80 | (q[2] & 0x79) | 0x04); // QR, opcode and RD of the query, AA
    out.write(0x80 | rcode); // RA, rcode
    out.write(0);
    out.write(1); // qdcount
    out.write(0);
    out.write(rdata == null ? 0 : 1); // ancount
    out.write(new byte[4], 0, 4); // nscount, arcount
    out.write(q, 12, questionEnd - 12);
    if (rdata != null) {
      out.write(0xC0);
      out.write(12); // the name of the question
      out.write(0);
      out.write(TYPE_A);
      out.write(0);
      out.write(1); // IN
      out.write(new byte[4], 0, 4); // TTL 0
      out.write(0);
      out.write(rdata.length);
      out.write(rdata, 0, rdata.length);
    }
    return out.toByteArray();
  }
}

package gevent4j.resolver;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import org.xbill.DNS.io.IoClientFactory;
import org.xbill.DNS.io.TcpIoClient;
import org.xbill.DNS.io.UdpIoClient;
import org.xbill.DNS.lookup.LookupResult;
import org.xbill.DNS.lookup.LookupSession;

/**
 * One lookup (A and AAAA) through a {@link LookupSession} made like the resolver's, answered in
 * memory instead of by a server: run on the threadpool when the resolver is made, it loads and
 * links what every lookup needs (dnsjava's message and record classes, {@code Type}'s table of
 * some 80 record factories, the lambdas and futures of {@code LookupSession},
 * {@code ExtendedResolver} and {@code SimpleResolver}, the query ID generator). Left to the first
 * real lookup, that work (some 40 ms of CPU and more) ran on the Hub thread while every greenlet of
 * the first burst waited. It does not try to get the code compiled: that takes hundreds of lookups,
 * whose CPU would compete with the application's start.
 */
final class DnsjavaWarmUp implements IoClientFactory, UdpIoClient, TcpIoClient {
    private static final byte[] V4 = {10, 0, 0, 1};
    private static final byte[] V6 = {(byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

    private DnsjavaWarmUp() {
    }

    /** Runs the lookup; whether it found both addresses (it never throws). */
    static boolean run(ResolvConf conf) {
        try {
            LookupSession session = DnsjavaResolver.session(conf, new DnsjavaWarmUp());
            Name name = Name.fromString("warm-up.invalid.");
            CompletableFuture<LookupResult> a = session.lookupAsync(name, Type.A).toCompletableFuture();
            CompletableFuture<LookupResult> aaaa = session.lookupAsync(name, Type.AAAA).toCompletableFuture();
            return a.join().getRecords().size() == 1 && aaaa.join().getRecords().size() == 1;
        } catch (Exception | LinkageError e) {
            // Nothing is lost: the first lookups load what they need and report their own failures.
            return false;
        }
    }

    @Override
    public TcpIoClient createOrGetTcpClient() {
        return this;
    }

    @Override
    public UdpIoClient createOrGetUdpClient() {
        return this;
    }

    @Override
    public CompletableFuture<byte[]> sendAndReceiveUdp(InetSocketAddress local, InetSocketAddress remote, Message query,
            byte[] data, int max, Duration timeout) {
        return answer(data);
    }

    @Override
    public CompletableFuture<byte[]> sendAndReceiveTcp(InetSocketAddress local, InetSocketAddress remote, Message query,
            byte[] data, Duration timeout) {
        return answer(data);
    }

    /** The answer a server would give to {@code data}: one address of the family asked. */
    private static CompletableFuture<byte[]> answer(byte[] data) {
        try {
            Message message = new Message(data);
            message.getHeader().setFlag(Flags.QR);
            message.getHeader().setFlag(Flags.RA);
            Record question = message.getQuestion();
            if (question.getType() == Type.A) {
                message.addRecord(new ARecord(question.getName(), DClass.IN, 0, InetAddress.getByAddress(V4)),
                    Section.ANSWER);
            } else if (question.getType() == Type.AAAA) {
                message.addRecord(new AAAARecord(question.getName(), DClass.IN, 0, InetAddress.getByAddress(V6)),
                    Section.ANSWER);
            }
            return CompletableFuture.completedFuture(message.toWire());
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}

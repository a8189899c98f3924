package gevent4j.resolver;

import gevent4j.loop.Loop;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver.LookupPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The {@code ares} resolver: {@link HubResolver}'s JDK semantics over a {@link DnsChannel} (c-ares)
 * that runs on the Hub's loop. Queries are started on the loop's thread, and the caller waits
 * according to where it runs:
 * <ul>
 * <li>a greenlet (mounted on the Hub thread) starts the query itself and parks; the channel's
 *     callback, run from a loop io watcher or timer, unparks it. The callback may already have run
 *     when the start returns (c-ares answers some queries synchronously), so the greenlet parks only
 *     while no answer is there;</li>
 * <li>the Hub thread outside any greenlet cannot park (nothing would run the loop), so it runs the
 *     loop's timers and I/O ({@link Loop#runPinned}) until the answer arrives;</li>
 * <li>any other thread hands the start to the loop ({@link Loop#runCallbackThreadsafe}) and parks.</li>
 * </ul>
 * {@code resolver_timeout} bounds the wait; a query that outlives it is abandoned (its late answer
 * is dropped), since c-ares can only cancel every query of a channel at once. Interrupts do not end
 * the wait, as they do not end the JDK's own lookup; the interrupt stays pending.
 */
public final class AresResolver extends HubResolver {

    private final Loop loop;
    private final BooleanSupplier onLoopThread;
    private final DnsChannel channel;

    AresResolver(Loop loop, BooleanSupplier onLoopThread, DnsChannel channel, HostsFile hosts, Duration totalTimeout) {
        super(hosts, totalTimeout);
        this.loop = loop;
        this.onLoopThread = onLoopThread;
        this.channel = channel;
    }

    /**
     * Opens a channel of {@code provider} on {@code loop} (from any thread) for this process:
     * {@code /etc/resolv.conf} as c-ares reads it, with {@code nameservers} instead of its servers when
     * not null, {@code /etc/hosts} and {@code totalTimeout} (null: none).
     */
    public static AresResolver create(DnsChannelProvider provider, Loop loop, BooleanSupplier onLoopThread,
            List<String> nameservers, Duration totalTimeout) {
        DnsChannel channel;
        if (onLoopThread.getAsBoolean()) {
            channel = provider.open(loop, nameservers);
        } else {
            CompletableFuture<DnsChannel> opened = new CompletableFuture<>();
            loop.runCallbackThreadsafe(() -> {
                try {
                    opened.complete(provider.open(loop, nameservers));
                } catch (Throwable t) {
                    opened.completeExceptionally(t);
                }
            });
            try {
                channel = opened.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(provider.name() + ": cannot open a channel: " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while opening the " + provider.name() + " channel", e);
            }
        }
        return new AresResolver(loop, onLoopThread, channel, new HostsFile(Path.of("/etc/hosts")), totalTimeout);
    }

    @Override
    protected List<InetAddress> queryByName(String host, int characteristics) throws UnknownHostException {
        boolean v4 = (characteristics & LookupPolicy.IPV4) != 0;
        boolean v6 = (characteristics & LookupPolicy.IPV6) != 0;
        DnsChannel.Answer answer = await(host, done -> channel.queryByName(host, v4, v6, done));
        if (answer.status() == DnsChannel.OK) {
            List<InetAddress> kept = AddressOrder.filter(answer.addresses(), characteristics);
            if (!kept.isEmpty()) {
                return kept;
            }
            throw unknown(host, "No address associated with hostname", null);
        }
        throw failure(host, answer);
    }

    @Override
    protected String queryByAddress(InetAddress ip) throws UnknownHostException {
        DnsChannel.Answer answer = await(ip.getHostAddress(), done -> channel.queryByAddress(ip, done));
        if (answer.status() == DnsChannel.OK && answer.name() != null && !answer.name().isEmpty()) {
            return answer.name();
        }
        throw failure(ip.getHostAddress(), answer);
    }

    /** The JDK's (glibc's {@code gai_strerror}) wording for a failed query. */
    private static UnknownHostException failure(String host, DnsChannel.Answer answer) {
        return switch (answer.status()) {
            case DnsChannel.NOT_FOUND, DnsChannel.OK -> unknown(host, "Name or service not known", null);
            case DnsChannel.NO_DATA -> unknown(host, "No address associated with hostname", null);
            default -> unknown(host, "Temporary failure in name resolution"
                + (answer.detail() == null ? "" : " (" + answer.detail() + ")"), null);
        };
    }

    /** Starts a query on the loop's thread and waits for its answer, at most {@code resolver_timeout}. */
    private DnsChannel.Answer await(String host, Consumer<Consumer<DnsChannel.Answer>> start) throws UnknownHostException {
        long deadline = totalTimeout == null ? 0 : System.nanoTime() + totalTimeout.toNanos();
        Waiter waiter = new Waiter(Thread.currentThread());
        boolean here = onLoopThread.getAsBoolean();
        if (here) {
            startSafely(start, waiter);
        } else {
            loop.runCallbackThreadsafe(() -> startSafely(start, waiter));
        }
        boolean interrupted = false;
        while (waiter.answer == null) {
            long left = deadline == 0 ? -1 : deadline - System.nanoTime();
            if (deadline != 0 && left <= 0) {
                break;
            }
            if (here && !Thread.currentThread().isVirtual()) {
                loop.runPinned(left);
            } else if (left < 0) {
                LockSupport.park(waiter);
            } else {
                LockSupport.parkNanos(waiter, left);
            }
            if (Thread.interrupted()) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        DnsChannel.Answer answer = waiter.answer;
        if (answer == null) {
            throw timedOut(host);
        }
        return answer;
    }

    private static void startSafely(Consumer<Consumer<DnsChannel.Answer>> start, Waiter waiter) {
        try {
            start.accept(waiter);
        } catch (Throwable t) {
            waiter.accept(DnsChannel.Answer.failed(DnsChannel.FAILED, String.valueOf(t)));
        }
    }

    /** Receives the answer of one query (on the loop's thread) and wakes its caller. */
    private static final class Waiter implements Consumer<DnsChannel.Answer> {
        private final Thread caller;
        volatile DnsChannel.Answer answer;

        Waiter(Thread caller) {
            this.caller = caller;
        }

        @Override
        public void accept(DnsChannel.Answer a) {
            if (answer == null) {
                answer = a;
                LockSupport.unpark(caller);
            }
        }
    }

    /** Closes the channel; on the loop's thread. */
    public void close() {
        channel.close();
    }

    /**
     * Closes the channel from the thread that is ending the JVM, once no application shutdown hook
     * can ask for a lookup any more: on the loop's thread, as every call into c-ares must be. When
     * that thread is the loop's own (a greenlet called {@code System.exit}) the channel closes at
     * once; otherwise the close is handed to the loop and waited for at most {@code wait}, so that a
     * Hub that no longer turns (a greenlet spinning without yielding) cannot hold up the exit. A
     * lookup still pending ends with {@code UnknownHostException}, and any started later fails at
     * once.
     *
     * @return whether the channel was closed within {@code wait}
     */
    public boolean closeAtExit(Duration wait) {
        if (onLoopThread.getAsBoolean()) {
            channel.close();
            return true;
        }
        CompletableFuture<Void> closed = new CompletableFuture<>();
        loop.runCallbackThreadsafe(() -> {
            try {
                channel.close();
            } finally {
                closed.complete(null);
            }
        });
        try {
            closed.get(wait.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

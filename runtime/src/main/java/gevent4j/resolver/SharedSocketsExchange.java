package gevent4j.resolver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A {@link QueryExchange} over {@link SharedUdpSockets}: the lookup's queries leave from the socket
 * its server shares with the other lookups in flight, and the lookup's thread parks until that
 * socket's reader hands it an answer or the earliest of its queries' times is up. In a greenlet the
 * park is a wait on the Hub; a platform thread parks.
 *
 * <p>An interrupt does not end the wait, as it does not end the JDK's own lookup; it stays set.
 */
final class SharedSocketsExchange extends QueryExchange {

    /** How long a query whose time is up still waits for an answer its reader has not handed over yet. */
    private static final long LAST_CHANCE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final SharedUdpSockets sockets;
    private final Thread owner = Thread.currentThread();
    private final ArrayList<SharedUdpSockets.Query> pending = new ArrayList<>(2);

    /** A lookup of the current thread, with {@code timeoutNanos} in all (none when negative). */
    SharedSocketsExchange(SharedUdpSockets sockets, long timeoutNanos) {
        super(timeoutNanos);
        this.sockets = sockets;
    }

    @Override
    CompletableFuture<byte[]> send(InetSocketAddress local, InetSocketAddress remote, byte[] message, int max,
            long timeoutNanos) {
        CompletableFuture<byte[]> future = new CompletableFuture<>();
        try {
            long now = System.nanoTime();
            checkSendable(message, now);
            SharedUdpSockets.Query query = new SharedUdpSockets.Query(message, max, owner, now + timeoutNanos, future);
            sockets.send(query, local, remote);
            pending.add(query);
        } catch (IOException | RuntimeException e) {
            future.completeExceptionally(e);
        }
        return future;
    }

    @Override
    void await(BooleanSupplier finished) {
        boolean lastChance = false;
        boolean interrupted = false;
        try {
            while (!finished.getAsBoolean()) {
                if (pending.isEmpty()) {
                    throw new IllegalStateException("a DNS lookup waits for an answer no query of it will bring");
                }
                if (takeSettled()) {
                    continue;
                }
                long now = System.nanoTime();
                long until = earliestEnd(pending);
                if (until - now > 0) {
                    lastChance = false;
                    LockSupport.parkNanos(this, until - now);
                } else if (!lastChance) {
                    // The time is up, but an answer may be in the socket that its reader has not
                    // taken yet (this thread or the Hub was busy): one short wait for it first.
                    lastChance = true;
                    LockSupport.parkNanos(this, LAST_CHANCE_NANOS);
                } else {
                    lastChance = false;
                    expire(now);
                }
                // Ignored, as the JDK's lookup ignores it, and kept for the caller; left set, it
                // would end every park at once.
                interrupted |= Thread.interrupted();
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Completes the queries the readers have ended; whether there was one. */
    private boolean takeSettled() {
        ArrayList<SharedUdpSockets.Query> settled = null;
        for (int i = pending.size() - 1; i >= 0; i--) {
            SharedUdpSockets.Query q = pending.get(i);
            if (q.settled()) {
                pending.remove(i);
                if (settled == null) {
                    settled = new ArrayList<>(2);
                }
                settled.add(q);
            }
        }
        if (settled == null) {
            return false;
        }
        // Completed after the list is settled: each completion may send the next query.
        for (SharedUdpSockets.Query q : settled) {
            byte[] answer = q.answer;
            if (answer != null) {
                q.future.complete(answer);
            } else {
                q.future.completeExceptionally(q.error);
            }
        }
        return true;
    }


    /** Ends the queries whose time is up ({@code now}), with {@link DeadlineExceeded} once the lookup's is. */
    private void expire(long now) {
        if (hasDeadline && deadline - now <= 0) {
            endAll(new DeadlineExceeded());
            return;
        }
        ArrayList<SharedUdpSockets.Query> ended = new ArrayList<>(2);
        for (int i = pending.size() - 1; i >= 0; i--) {
            SharedUdpSockets.Query q = pending.get(i);
            // A query its reader has just taken stays: its answer is on the way.
            if (q.end - now <= 0 && sockets.withdraw(q)) {
                pending.remove(i);
                ended.add(q);
            }
        }
        for (SharedUdpSockets.Query q : ended) {
            q.future.completeExceptionally(new SocketTimeoutException("no answer in time"));
        }
    }

    /** Ends every pending query with {@code e}. */
    private void endAll(IOException e) {
        ArrayList<SharedUdpSockets.Query> ended = new ArrayList<>(pending);
        pending.clear();
        for (SharedUdpSockets.Query q : ended) {
            sockets.withdraw(q);
        }
        for (SharedUdpSockets.Query q : ended) {
            q.future.completeExceptionally(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (SharedUdpSockets.Query q : pending) {
            sockets.withdraw(q);
        }
        pending.clear();
    }
}

package gevent4j.resolver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The UDP queries of one lookup, answered on the lookup's own thread: {@link #send} returns a
 * future that {@link #await} completes later, when the lookup's thread asks for it. Completing one
 * runs dnsjava's continuation (the direct executor) on that thread, which may send the next query
 * (a retry, the next search domain, a CNAME target): it joins the queries {@code await} serves.
 * Each query waits at most its own timeout, cut to the lookup's deadline ({@code resolver_timeout}),
 * and an answer is matched to its query by ID and question, as glibc's {@code send_dg} matches it.
 *
 * <p>Two ways to carry the queries: {@link SharedSocketsExchange} (the lookups in flight share one
 * socket per server, read by a greenlet of its own, as c-ares shares them) and
 * {@link OwnSocketsExchange} (sockets of the lookup's own, read by its thread, for a thread that must
 * not wait for another).
 *
 * <p>Not thread-safe: one lookup, one thread. {@link #close} drops the queries still pending: their
 * futures are never completed, since nothing waits for them any more and a completion would only
 * make dnsjava retry.
 */
abstract class QueryExchange implements AutoCloseable {

    /** The lookup's total time ran out ({@code resolver_timeout}). */
    static final class DeadlineExceeded extends SocketTimeoutException {
        DeadlineExceeded() {
            super("resolver_timeout expired");
        }
    }

    static final int HEADER_LENGTH = 12;

    /** A query sent and not answered yet, however it is carried. */
    static class Pending {
        final byte[] message;
        /** When the lookup gives it up ({@link System#nanoTime()}). */
        final long end;
        /** Completed by {@link #await}: with the answer, or with what ended the query. */
        final CompletableFuture<byte[]> future;

        Pending(byte[] message, long end, CompletableFuture<byte[]> future) {
            this.message = message;
            this.end = end;
            this.future = future;
        }
    }

    /** The lookup's deadline ({@link System#nanoTime()}); meaningful when {@link #hasDeadline}. */
    final long deadline;
    final boolean hasDeadline;
    boolean closed;

    /** A lookup with {@code timeoutNanos} in all, or none when negative. */
    QueryExchange(long timeoutNanos) {
        this.hasDeadline = timeoutNanos >= 0;
        this.deadline = hasDeadline ? System.nanoTime() + timeoutNanos : 0;
    }

    /**
     * Sends {@code message} (a query with one question) to {@code remote} and returns the future of
     * its answer (at most {@code max} bytes), completed by {@link #await}: with the answer, or with
     * the {@link IOException} that ended it (a {@link SocketTimeoutException} after
     * {@code timeoutNanos}, or {@link DeadlineExceeded}).
     */
    abstract CompletableFuture<byte[]> send(InetSocketAddress local, InetSocketAddress remote, byte[] message, int max,
            long timeoutNanos);

    /**
     * Runs the exchange until {@code finished} says so: takes the answers, ends the queries that
     * time out, and serves the queries the completions send.
     *
     * @throws IllegalStateException if it is not finished while no query of this exchange is pending
     */
    abstract void await(BooleanSupplier finished);

    /** Ends the exchange; a pending query's answer is dropped. */
    @Override
    public abstract void close();

    /** Runs the exchange until every future of {@code wanted} is complete. */
    final void await(CompletableFuture<?>... wanted) {
        await(() -> allDone(wanted));
    }

    /** Why {@code message} cannot be sent now (the lookup ended, its time is up, not a query), if so. */
    final void checkSendable(byte[] message, long now) throws IOException {
        if (closed) {
            throw new IOException("the lookup has ended");
        }
        if (hasDeadline && deadline - now <= 0) {
            throw new DeadlineExceeded();
        }
        if (message.length < HEADER_LENGTH) {
            throw new IOException("DNS query of " + message.length + " bytes");
        }
    }

    /** The earliest time one of {@code pending} (not empty) or the whole lookup is up. */
    final long earliestEnd(List<? extends Pending> pending) {
        long until = pending.get(0).end;
        for (int i = 1; i < pending.size(); i++) {
            until = Math.min(until, pending.get(i).end);
        }
        return hasDeadline ? Math.min(until, deadline) : until;
    }

    static boolean allDone(CompletableFuture<?>[] futures) {
        for (CompletableFuture<?> f : futures) {
            if (!f.isDone()) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code answer} (a datagram of {@code length} bytes) answers {@code query}: the same ID and question. */
    static boolean answers(byte[] query, byte[] answer, int length) {
        return length >= HEADER_LENGTH && query[0] == answer[0] && query[1] == answer[1]
            && sameQuestion(query, answer, length);
    }

    /**
     * Whether the answer's question is the query's: the same name (ASCII case-insensitive, as
     * names compare; label lengths never fall in A-Z), type and class. An answer may omit the
     * question only when it has an error code; dnsjava judges those.
     */
    static boolean sameQuestion(byte[] query, byte[] answer, int length) {
        int qdcount = (answer[4] & 0xff) << 8 | answer[5] & 0xff;
        if (qdcount == 0) {
            return (answer[3] & 0x0f) != 0;
        }
        int p = HEADER_LENGTH;
        while (p < query.length && query[p] != 0) {
            p += (query[p] & 0xff) + 1;
        }
        int end = p + 5; // the root label, type and class
        if (end > query.length || end > length) {
            return false;
        }
        for (int i = HEADER_LENGTH; i < end; i++) {
            byte a = query[i];
            byte b = answer[i];
            if (a != b && (i >= p || toLower(a) != toLower(b))) {
                return false;
            }
        }
        return true;
    }

    private static int toLower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
    }

    /**
     * The wait for a blocking socket operation of {@code lookup} (null: none): until {@code end}
     * (that query's own timeout), cut to the lookup's deadline; at least 1 ms, since 0 would mean
     * forever.
     */
    static int waitMillis(QueryExchange lookup, long end) throws SocketTimeoutException {
        long now = System.nanoTime();
        boolean limited = lookup != null && lookup.hasDeadline;
        if (limited && lookup.deadline - now <= 0) {
            throw new DeadlineExceeded();
        }
        long left = limited ? Math.min(end - now, lookup.deadline - now) : end - now;
        if (left <= 0) {
            throw new SocketTimeoutException("no answer in time");
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left)));
    }
}

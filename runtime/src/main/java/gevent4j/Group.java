package gevent4j;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

/**
 * A set of running greenlets that can be waited for and killed together (gevent's
 * {@code gevent.pool.Group}). A greenlet leaves the group when it finishes.
 *
 * <pre>{@code
 * Group group = new Group();
 * List<Integer> lengths = group.map(url -> fetch(url).length(), urls);   // in the order of urls
 * }</pre>
 */
public class Group {

    /** Members, in the order they were added. Guarded by this. */
    private final Set<Greenlet<?>> members = new LinkedHashSet<>();

    /** Spawns {@code body} in a new greenlet of this group. */
    public <T> Greenlet<T> spawn(Callable<T> body) throws InterruptedException {
        Greenlet<T> g = new Greenlet<>(body);
        admit(g);
        return g;
    }

    /** Spawns {@code body} in a new greenlet of this group; its value is null. */
    public Greenlet<Void> spawn(Runnable body) throws InterruptedException {
        Greenlet<Void> g = new Greenlet<>(body);
        admit(g);
        return g;
    }

    /** Adds and starts {@code g}: subclasses may wait for room first ({@link Pool}). */
    void admit(Greenlet<?> g) throws InterruptedException {
        addMember(g);
        g.start();
    }

    /** Adds a greenlet, started or not, until it finishes. */
    public void add(Greenlet<?> g) {
        addMember(g);
    }

    /** Returns false when {@code g} already was a member. */
    final boolean addMember(Greenlet<?> g) {
        Objects.requireNonNull(g, "greenlet");
        synchronized (this) {
            if (!members.add(g)) {
                return false;
            }
        }
        g.link(this::finished);
        return true;
    }

    /** Removes {@code g} from the group without touching it; returns whether it was a member. */
    public boolean discard(Greenlet<?> g) {
        synchronized (this) {
            boolean removed = members.remove(g);
            if (removed) {
                removed(g);
            }
            notifyAll();
            return removed;
        }
    }

    /** {@code g} just left; called with the group's lock held, before waiters are woken. */
    void removed(Greenlet<?> g) {
    }

    /** A member finished: it leaves the group. */
    private void finished(Greenlet<?> g) {
        discard(g);
    }

    /** True when {@code g} is a member. */
    public synchronized boolean contains(Greenlet<?> g) {
        return members.contains(g);
    }

    /** The members now, in the order they were added. */
    public synchronized List<Greenlet<?>> greenlets() {
        return List.copyOf(members);
    }

    public synchronized int size() {
        return members.size();
    }

    /** Waits until every member has finished (the group is empty). */
    public synchronized void join() throws InterruptedException {
        while (!members.isEmpty()) {
            wait();
        }
    }

    /** Waits until the group is empty or {@code timeout} passes; returns whether it is empty. */
    public synchronized boolean join(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!members.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000L), 0);
        }
        return true;
    }

    /** Kills every member and waits until the group is empty. */
    public void kill() throws InterruptedException {
        for (Greenlet<?> g : greenlets()) {
            g.killAsync();
        }
        join();
    }

    /** Kills every member and waits at most {@code timeout}; returns whether the group is empty. */
    public boolean kill(Duration timeout) throws InterruptedException {
        for (Greenlet<?> g : greenlets()) {
            g.killAsync();
        }
        return join(timeout);
    }

    /**
     * Applies {@code function} to every item, each in a greenlet of this group, and returns the
     * results in the order of {@code items}.
     *
     * @throws Exception the first failure, in item order, rethrown as is
     */
    public <A, R> List<R> map(Function<? super A, ? extends R> function, Collection<? extends A> items)
            throws Exception {
        List<Greenlet<R>> started = new ArrayList<>(items.size());
        for (A item : items) {
            started.add(spawn(() -> function.apply(item)));
        }
        List<R> results = new ArrayList<>(started.size());
        for (Greenlet<R> g : started) {
            results.add(g.get());
        }
        return results;
    }

    /**
     * Like {@link #map}, but lazy: greenlets are spawned by a feeder greenlet (in a {@link Pool},
     * as room frees up) and the results come in the order of {@code items} as the caller iterates.
     * A failure is rethrown as is by {@code next()}.
     */
    public <A, R> Iterator<R> imap(Function<? super A, ? extends R> function, Iterable<? extends A> items) {
        LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        feed(function, items, queue, false);
        return new Results<>(queue);
    }

    /** Like {@link #imap}, but results come as soon as each is ready, in no particular order. */
    public <A, R> Iterator<R> imapUnordered(Function<? super A, ? extends R> function, Iterable<? extends A> items) {
        LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        feed(function, items, queue, true);
        return new Results<>(queue);
    }

    /**
     * Spawns one greenlet per item from a feeder greenlet. Ordered: each greenlet is queued when
     * spawned. Unordered: each is queued by its link when it finishes. Either way the feeder then
     * queues the number spawned, which tells the iterator when it has seen them all.
     */
    private <A, R> void feed(Function<? super A, ? extends R> function, Iterable<? extends A> items,
                             LinkedBlockingQueue<Object> queue, boolean whenDone) {
        Greenlet.spawn(() -> {
            int count = 0;
            try {
                for (A item : items) {
                    Greenlet<R> g = spawn(() -> function.apply(item));
                    count++;
                    if (whenDone) {
                        g.link(queue::add);
                    } else {
                        queue.add(g);
                    }
                }
            } finally {
                queue.add(count);
            }
            return null;
        });
    }

    /** Iterates the greenlets a feeder queues, waiting for each one's result. */
    private static final class Results<R> implements Iterator<R> {
        private final LinkedBlockingQueue<Object> queue;
        private Greenlet<?> next;
        private int seen;
        private int total = -1;

        Results(LinkedBlockingQueue<Object> queue) {
            this.queue = queue;
        }

        @Override
        public boolean hasNext() {
            while (next == null && (total < 0 || seen < total)) {
                Object item;
                try {
                    item = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the next result", e);
                }
                if (item instanceof Integer count) {
                    total = count;
                } else {
                    next = (Greenlet<?>) item;
                    seen++;
                }
            }
            return next != null;
        }

        @Override
        @SuppressWarnings("unchecked")
        public R next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Greenlet<R> g = (Greenlet<R>) next;
            next = null;
            try {
                return g.get();
            } catch (Exception e) {
                throw Results.<RuntimeException>sneaky(e);
            }
        }

        @SuppressWarnings("unchecked")
        private static <E extends Throwable> E sneaky(Throwable t) throws E {
            throw (E) t;
        }
    }
}

package gevent4j;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Group} with at most {@code size} members (gevent's {@code gevent.pool.Pool}):
 * {@link #spawn} waits for room, so a pool bounds the concurrency of the work given to it.
 *
 * <pre>{@code
 * Pool pool = new Pool(10);                       // at most 10 downloads at a time
 * for (String url : urls) {
 *     pool.spawn(() -> download(url));
 * }
 * pool.join();
 * }</pre>
 */
public class Pool extends Group {

    private final int size;
    private final Semaphore room;

    /** @param size the largest number of members, at least 1 */
    public Pool(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("pool size must be at least 1: " + size);
        }
        this.size = size;
        this.room = new Semaphore(size, true);
    }

    @Override
    void admit(Greenlet<?> g) throws InterruptedException {
        room.acquire();
        if (!addMember(g)) {
            room.release();
        }
        g.start();
    }

    /** Adds a greenlet, waiting (uninterruptibly, as gevent's {@code Pool.add}) for room first. */
    @Override
    public void add(Greenlet<?> g) {
        room.acquireUninterruptibly();
        if (!addMember(g)) {
            room.release();
        }
    }

    /** A member left (finished or discarded): its room is free before anyone waiting for the pool wakes. */
    @Override
    void removed(Greenlet<?> g) {
        room.release();
    }

    /** The largest number of members. */
    public int capacity() {
        return size;
    }

    /** How many more greenlets could be spawned now without waiting. */
    public int freeCount() {
        return room.availablePermits();
    }

    /** True when {@link #spawn} would wait. */
    public boolean full() {
        return freeCount() == 0;
    }

    /** Waits until at least one greenlet could be spawned, or {@code timeout} passes; returns whether. */
    public boolean waitAvailable(Duration timeout) throws InterruptedException {
        if (room.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            room.release();
            return true;
        }
        return false;
    }
}

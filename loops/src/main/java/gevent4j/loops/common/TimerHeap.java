package gevent4j.loops.common;

import java.util.Arrays;

/**
 * The Java-side timer heap every loop keeps: a binary min-heap ordered by (due, sequence), each
 * timer knowing its own index so that stopping one is O(log n) and allocation-free.
 *
 * <p>Why every loop keeps its timers in Java rather than in libev's or libuv's: neither native heap
 * is stable for equal due times (libev fired 20 equal-due timers in reverse order), libuv's are
 * whole milliseconds, and each native timer would cost an upcall. The native loop only gets one
 * timer, armed for the earliest entry here, to bound its wait.
 *
 * @param <T> the loop's timer watcher
 */
public final class TimerHeap<T> {

    /**
     * A timer's place in the heap, created once with its watcher (watchers already extend their
     * loop's watcher base class). Fields, not accessors: the heap reads them on every compare.
     */
    public static final class Entry<T> {
        /** Loop time (nanoseconds) at which the timer is due. */
        public long due;
        /** Start order: ties between equal due times fire first-started first. */
        public long sequence;
        /** Index in the heap, or -1 when not in it. */
        int heapIndex = -1;
        public final T timer;

        public Entry(T timer) {
            this.timer = timer;
        }
    }

    private Entry<?>[] heap = new Entry<?>[64];
    private int size;

    public int size() {
        return size;
    }

    /** The earliest timer (smallest due, then sequence), or null. */
    @SuppressWarnings("unchecked")
    public Entry<T> peek() {
        return size == 0 ? null : (Entry<T>) heap[0];
    }

    public void add(Entry<T> timer) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        int i = size++;
        heap[i] = timer;
        timer.heapIndex = i;
        siftUp(i);
    }

    /** Removes {@code timer}; a no-op when it is not in the heap. */
    public void remove(Entry<T> timer) {
        int i = timer.heapIndex;
        if (i < 0) {
            return;
        }
        timer.heapIndex = -1;
        Entry<?> last = heap[--size];
        heap[size] = null;
        if (i == size) {
            return;
        }
        place(last, i);
        siftDown(i);
        if (last.heapIndex == i) {
            siftUp(i);
        }
    }

    private static boolean before(Entry<?> a, Entry<?> b) {
        return a.due < b.due || (a.due == b.due && a.sequence < b.sequence);
    }

    private void siftUp(int i) {
        Entry<?> t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(t, heap[parent])) {
                break;
            }
            place(heap[parent], i);
            i = parent;
        }
        place(t, i);
    }

    private void siftDown(int i) {
        Entry<?> t = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            if (child + 1 < size && before(heap[child + 1], heap[child])) {
                child++;
            }
            if (!before(heap[child], t)) {
                break;
            }
            place(heap[child], i);
            i = child;
        }
        place(t, i);
    }

    private void place(Entry<?> t, int i) {
        heap[i] = t;
        t.heapIndex = i;
    }
}

package gevent4j.loops.libev;

import java.util.Arrays;

/**
 * A binary min-heap of timers ordered by (due, sequence), with each timer knowing its index so that
 * stopping one is O(log n) and allocation-free (the jdk loop's {@code TimerHeap}, for this loop's
 * timer type).
 */
final class LibevTimerHeap {

    private LibevTimerWatcher[] heap = new LibevTimerWatcher[64];
    private int size;

    int size() {
        return size;
    }

    LibevTimerWatcher peek() {
        return size == 0 ? null : heap[0];
    }

    void add(LibevTimerWatcher timer) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = timer;
        timer.heapIndex = size;
        size++;
        siftUp(timer.heapIndex);
    }

    void remove(LibevTimerWatcher timer) {
        int i = timer.heapIndex;
        if (i < 0) {
            return;
        }
        timer.heapIndex = -1;
        size--;
        if (i == size) {
            heap[size] = null;
            return;
        }
        LibevTimerWatcher last = heap[size];
        heap[size] = null;
        heap[i] = last;
        last.heapIndex = i;
        siftDown(i);
        if (last.heapIndex == i) {
            siftUp(i);
        }
    }

    private static boolean before(LibevTimerWatcher a, LibevTimerWatcher b) {
        return a.due < b.due || (a.due == b.due && a.sequence < b.sequence);
    }

    private void siftUp(int i) {
        LibevTimerWatcher t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            LibevTimerWatcher p = heap[parent];
            if (!before(t, p)) {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = t;
        t.heapIndex = i;
    }

    private void siftDown(int i) {
        LibevTimerWatcher t = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && before(heap[right], heap[child])) {
                child = right;
            }
            if (!before(heap[child], t)) {
                break;
            }
            heap[i] = heap[child];
            heap[i].heapIndex = i;
            i = child;
        }
        heap[i] = t;
        t.heapIndex = i;
    }
}

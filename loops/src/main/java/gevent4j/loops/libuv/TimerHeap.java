package gevent4j.loops.libuv;

import java.util.Arrays;

/**
 * A binary min-heap of timers ordered by (due, sequence). Each timer knows its index, so removing
 * one is O(log n) and allocation-free.
 */
final class TimerHeap {

    private LibuvTimerWatcher[] heap = new LibuvTimerWatcher[64];
    private int size;

    int size() {
        return size;
    }

    LibuvTimerWatcher peek() {
        return size == 0 ? null : heap[0];
    }

    void add(LibuvTimerWatcher timer) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        int i = size++;
        heap[i] = timer;
        timer.heapIndex = i;
        siftUp(i);
    }

    void remove(LibuvTimerWatcher timer) {
        int i = timer.heapIndex;
        if (i < 0) {
            return;
        }
        timer.heapIndex = -1;
        LibuvTimerWatcher last = heap[--size];
        heap[size] = null;
        if (i == size) {
            return;
        }
        heap[i] = last;
        last.heapIndex = i;
        siftDown(i);
        if (last.heapIndex == i) {
            siftUp(i);
        }
    }

    private static boolean before(LibuvTimerWatcher a, LibuvTimerWatcher b) {
        return a.due < b.due || (a.due == b.due && a.sequence < b.sequence);
    }

    private void siftUp(int i) {
        LibuvTimerWatcher t = heap[i];
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
        LibuvTimerWatcher t = heap[i];
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

    private void place(LibuvTimerWatcher t, int i) {
        heap[i] = t;
        t.heapIndex = i;
    }
}

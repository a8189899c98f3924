package gevent4j.loops.common;

import com.kenai.jffi.MemoryIO;
import gevent4j.loop.NativeAllocations;

/**
 * Zeroed native memory for the native loops' watchers and handles, accounted in
 * {@link NativeAllocations} ({@code trace_malloc}). Every block the loops hand to libev or libuv
 * comes from here and goes back through {@link #free}.
 */
public final class NativeMemory {

    private static final MemoryIO IO = MemoryIO.getInstance();

    private NativeMemory() {
    }

    /**
     * {@code calloc(1, size)} for a {@code kind} of block.
     *
     * @throws OutOfMemoryError when the C allocator refuses
     */
    public static long allocate(String kind, long size) {
        long address = IO.allocateMemory(size, true);
        if (address == 0) {
            throw new OutOfMemoryError("malloc(" + size + ") for a " + kind + " failed");
        }
        NativeAllocations.allocated(kind, address, size);
        return address;
    }

    /** Frees a block of {@link #allocate}; 0 is ignored. */
    public static void free(long address) {
        if (address != 0) {
            NativeAllocations.freed(address);
            IO.freeMemory(address);
        }
    }
}

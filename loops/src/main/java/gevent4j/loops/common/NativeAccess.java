package gevent4j.loops.common;

/**
 * Native memory as a native loop reads and writes it: zeroed blocks accounted for
 * {@code trace_malloc}, and typed access by address. Two implementations, one per binding:
 * {@link JffiAccess} (jffi, under the JNR loops) and {@code gevent4j.loops.ffm.FfmAccess}
 * (java.lang.foreign), so that a loop bound through FFM never loads jffi.
 *
 * <p>Addresses are {@code long}s (the loops run on LP64 only, which their layout checks enforce):
 * no access allocates a pointer object, and a pointer field is read and written as a long.
 */
public interface NativeAccess {

    /**
     * {@code calloc(1, size)} for a {@code kind} of block, recorded in
     * {@link gevent4j.loop.NativeAllocations}.
     *
     * @throws OutOfMemoryError when the C allocator refuses
     */
    long allocate(String kind, long size);

    /** Frees a block of {@link #allocate}; 0 is ignored. */
    void free(long address);

    byte getByte(long address);

    short getShort(long address);

    int getInt(long address);

    void putInt(long address, int value);

    long getLong(long address);

    void putLong(long address, long value);

    void putDouble(long address, double value);

    /** Sets {@code size} bytes from {@code address} to {@code value}. */
    void setMemory(long address, long size, byte value);

    /** The NUL-terminated string at {@code address} (UTF-8), or null for 0. */
    default String string(long address) {
        if (address == 0) {
            return null;
        }
        int length = 0;
        while (getByte(address + length) != 0) {
            length++;
        }
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = getByte(address + i);
        }
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }
}

package gevent4j.loops.ffm;

import gevent4j.loop.NativeAllocations;
import gevent4j.loops.common.NativeAccess;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * {@link NativeAccess} through java.lang.foreign: reads and writes go through {@link Ffm#EVERYTHING}
 * (intrinsified by the JIT to plain loads and stores, unlike jffi's JNI accessors in its non-Unsafe
 * mode), and blocks come from the C allocator, as the JNR loops' do, so that libev can hold them
 * and the loop frees each one when it decides.
 */
public final class FfmAccess implements NativeAccess {

    public static final FfmAccess INSTANCE = new FfmAccess();

    private static final MemorySegment ALL = Ffm.EVERYTHING;
    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED;

    private static final MethodHandle CALLOC;
    private static final MethodHandle FREE;

    static {
        Linker linker = Linker.nativeLinker();
        CALLOC = linker.downcallHandle(linker.defaultLookup().findOrThrow("calloc"),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
        FREE = linker.downcallHandle(linker.defaultLookup().findOrThrow("free"),
            FunctionDescriptor.ofVoid(ValueLayout.JAVA_LONG));
    }

    private FfmAccess() {
    }

    @Override
    public long allocate(String kind, long size) {
        long address;
        try {
            address = (long) CALLOC.invokeExact(1L, size);
        } catch (Throwable t) {
            throw Ffm.rethrow(t);
        }
        if (address == 0) {
            throw new OutOfMemoryError("calloc(" + size + ") for a " + kind + " failed");
        }
        NativeAllocations.allocated(kind, address, size);
        return address;
    }

    @Override
    public void free(long address) {
        if (address != 0) {
            NativeAllocations.freed(address);
            try {
                FREE.invokeExact(address);
            } catch (Throwable t) {
                throw Ffm.rethrow(t);
            }
        }
    }

    @Override
    public byte getByte(long address) {
        return ALL.get(BYTE, address);
    }

    @Override
    public short getShort(long address) {
        return ALL.get(SHORT, address);
    }

    @Override
    public int getInt(long address) {
        return ALL.get(INT, address);
    }

    @Override
    public void putInt(long address, int value) {
        ALL.set(INT, address, value);
    }

    @Override
    public long getLong(long address) {
        return ALL.get(LONG, address);
    }

    @Override
    public void putLong(long address, long value) {
        ALL.set(LONG, address, value);
    }

    @Override
    public void putDouble(long address, double value) {
        ALL.set(DOUBLE, address, value);
    }

    @Override
    public void setMemory(long address, long size, byte value) {
        ALL.asSlice(address, size).fill(value);
    }
}

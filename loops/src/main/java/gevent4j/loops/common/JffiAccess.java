package gevent4j.loops.common;

import com.kenai.jffi.MemoryIO;

/** {@link NativeAccess} through jffi's {@link MemoryIO} and {@link NativeMemory}: the JNR loops' memory. */
public final class JffiAccess implements NativeAccess {

    public static final JffiAccess INSTANCE = new JffiAccess();

    private final MemoryIO io;

    private JffiAccess() {
        gevent4j.loops.ffi.Jffi.prepare(); // jffi's memory mode is chosen when MemoryIO first initialises
        io = MemoryIO.getInstance();
    }

    @Override
    public long allocate(String kind, long size) {
        return NativeMemory.allocate(kind, size);
    }

    @Override
    public void free(long address) {
        NativeMemory.free(address);
    }

    @Override
    public byte getByte(long address) {
        return io.getByte(address);
    }

    @Override
    public short getShort(long address) {
        return io.getShort(address);
    }

    @Override
    public int getInt(long address) {
        return io.getInt(address);
    }

    @Override
    public void putInt(long address, int value) {
        io.putInt(address, value);
    }

    @Override
    public long getLong(long address) {
        return io.getLong(address);
    }

    @Override
    public void putLong(long address, long value) {
        io.putLong(address, value);
    }

    @Override
    public void putDouble(long address, double value) {
        io.putDouble(address, value);
    }

    @Override
    public void setMemory(long address, long size, byte value) {
        io.setMemory(address, size, value);
    }
}

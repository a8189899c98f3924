package gevent4j.loops.ffm;

import gevent4j.loops.ffi.NativeLibrarySpec;
import gevent4j.loops.ffi.NativeLibraryUnavailableException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * Every restricted java.lang.foreign call the FFM loops make, in one place.
 *
 * <p>Why one class: {@code Linker.downcallHandle}, {@code upcallStub},
 * {@code SymbolLookup.libraryLookup} and {@code MemorySegment.reinterpret} print the JDK's
 * restricted-method warning (JEP 472) unless their caller's module has native access. Under the
 * agent this package is a named module of the agent's class loader ({@code gevent4j.ffm}) with
 * native access enabled, the way jffi's packages are {@code gevent4j.jffi}; the JDK grants native
 * access to unnamed modules only all together, which would cover the application too. So the
 * restricted calls must be made from this package, and the bindings elsewhere describe what they
 * need and call these methods. Without the agent (tests, benchmarks) the package is in the unnamed
 * module, and {@code --enable-native-access=ALL-UNNAMED} applies.
 */
public final class Ffm {

    private static final Linker LINKER = Linker.nativeLinker();

    /**
     * All of the address space as one segment: watcher memory is addressed by {@code long}, so a
     * read or write is a bounds check against a constant and a plain access, with no segment per
     * block (the loops free their blocks themselves, as libev and libuv require).
     */
    static final MemorySegment EVERYTHING = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private Ffm() {
    }

    /**
     * Loads {@code spec} for the life of the process (as JNR does) and checks that it has every
     * symbol in {@code symbols}: a library without a function we bind counts as missing, with a
     * message that says which and how to install the right one.
     */
    public static SymbolLookup library(NativeLibrarySpec spec, List<String> symbols)
            throws NativeLibraryUnavailableException {
        SymbolLookup lookup;
        try {
            lookup = SymbolLookup.libraryLookup(spec.soname(), Arena.global());
        } catch (IllegalArgumentException e) {
            throw new NativeLibraryUnavailableException(spec.soname() + " could not be loaded ("
                + e.getMessage() + "); " + spec.installHint(), e);
        }
        List<String> missing = new ArrayList<>();
        for (String symbol : symbols) {
            if (lookup.find(symbol).isEmpty()) {
                missing.add(symbol);
            }
        }
        if (!missing.isEmpty()) {
            missing.sort(null);
            throw new NativeLibraryUnavailableException(spec.soname() + " lacks " + String.join(", ", missing)
                + " (too old or a different build); " + spec.installHint());
        }
        return lookup;
    }

    /** A downcall handle for {@code symbol}, which {@link #library} has checked. */
    public static MethodHandle downcall(SymbolLookup lookup, String symbol, FunctionDescriptor function,
                                        Linker.Option... options) {
        MemorySegment address = lookup.find(symbol)
            .orElseThrow(() -> new IllegalStateException("symbol " + symbol + " vanished from a loaded library"));
        return LINKER.downcallHandle(address, function, options);
    }

    /**
     * A C function pointer calling {@code target}, valid until {@code arena} closes. The target must
     * not throw: an exception unwinding out of an upcall ends the JVM.
     */
    public static long upcall(MethodHandle target, FunctionDescriptor function, Arena arena) {
        return LINKER.upcallStub(target, function, arena).address();
    }

    /** Rethrows what a downcall's {@code invokeExact} threw (only unchecked throwables can occur). */
    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("a native call failed", t);
    }
}

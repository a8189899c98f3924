package gevent4j.loops.libev;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An exception that unwinds out of an FFM upcall ends the JVM. The loop's callbacks catch
 * everything themselves; the binding's upcalls are the last line of defence should anything still
 * get through. Called from C here exactly as libev calls them: through the function pointer.
 */
class LibevFfmUpcallTest {

    @Test
    void aThrowableEscapingAWatcherCallbackDoesNotReachC() throws Throwable {
        new LibevFfmLoopProvider().ensureAvailability();
        LibevBinding ev = LibevLibrary.defaultFfmProbe().library().ev;
        List<String> calls = new ArrayList<>();
        try (LibevBinding.Upcalls upcalls = ev.newUpcalls()) {
            long runtime = upcalls.pointer((loop, watcher, revents) -> {
                calls.add("runtime " + loop + " " + watcher + " " + revents);
                throw new IllegalStateException("thrown on purpose by the test");
            });
            long error = upcalls.pointer((loop, watcher, revents) -> {
                calls.add("error");
                throw new AssertionError("thrown on purpose by the test");
            });
            asC(runtime).invokeExact(7L, 8L, 9);
            asC(error).invokeExact(0L, 0L, 0);
        }
        assertEquals(List.of("runtime 7 8 9", "error"), calls); // and the JVM is still here
    }

    private static MethodHandle asC(long function) {
        return Linker.nativeLinker().downcallHandle(MemorySegment.ofAddress(function),
            FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_LONG, JAVA_INT));
    }
}

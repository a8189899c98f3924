package gevent4j.loops.libuv;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

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
 * get through. Each kind is called from C here as libuv calls it: through the function pointer.
 */
class LibuvFfmUpcallTest {

    @Test
    void aThrowableEscapingACallbackDoesNotReachC() throws Throwable {
        LibuvProbe probe = LibuvProbe.ffm();
        if (probe.cause() != null) {
            fail("libuv is not available (install the libuv1 package): " + probe.cause().getMessage(), probe.cause());
        }
        List<String> calls = new ArrayList<>();
        try (Libuv.Upcalls upcalls = probe.uv().newUpcalls()) {
            long poll = upcalls.poll((handle, status, events) -> {
                calls.add("poll " + handle + " " + status + " " + events);
                throw new IllegalStateException("thrown on purpose by the test");
            });
            long handle = upcalls.handle(h -> {
                calls.add("handle " + h);
                throw new AssertionError("thrown on purpose by the test");
            });
            long walk = upcalls.walk((h, arg) -> {
                calls.add("walk " + h + " " + arg);
                throw new IllegalStateException("thrown on purpose by the test");
            });
            asC(poll, FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_INT, JAVA_INT)).invokeExact(1L, 2, 3);
            asC(handle, FunctionDescriptor.ofVoid(JAVA_LONG)).invokeExact(4L);
            asC(walk, FunctionDescriptor.ofVoid(JAVA_LONG, JAVA_LONG)).invokeExact(5L, 6L);
        }
        assertEquals(List.of("poll 1 2 3", "handle 4", "walk 5 6"), calls); // and the JVM is still here
    }

    private static MethodHandle asC(long function, FunctionDescriptor descriptor) {
        return Linker.nativeLinker().downcallHandle(MemorySegment.ofAddress(function), descriptor);
    }
}

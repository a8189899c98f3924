package gevent4j.patches;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import gevent4j.bootstrap.Bridge;
import java.io.FileInputStream;
import java.io.IOException;
import java.util.List;
import net.bytebuddy.asm.Advice;

/**
 * {@code java.io.FileInputStream} reads (checked against JDK 25): {@code System.in}, pipes and
 * files. The natives they call block the carrier, which for a greenlet is the Hub.
 */
final class FileInputStreamPatch {

    private FileInputStreamPatch() {
    }

    static Patch patch() {
        String self = FileInputStreamPatch.class.getName();
        return new Patch("java.io.FileInputStream",
            "stdin, pipe and file reads of greenlets never stall the Hub (the fileobject setting)",
            List.of(
                new Patch.Method("public int read()", named("read").and(takesArguments(0)), self + "$ReadByteAdvice"),
                new Patch.Method("public int read(byte[] b)", named("read").and(takesArguments(1)), self + "$ReadArrayAdvice"),
                new Patch.Method("public int read(byte[] b, int off, int len)", named("read").and(takesArguments(3)),
                    self + "$ReadRangeAdvice")));
    }

    /** {@code FileInputStream.read()I}. */
    static final class ReadByteAdvice {
        private ReadByteAdvice() {
        }

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static long enter(@Advice.This FileInputStream self) throws IOException {
            return Bridge.fileRead(self, null, 0, 1, true);
        }

        @Advice.OnMethodExit
        static void exit(@Advice.Enter long handled, @Advice.Return(readOnly = false) int result) {
            if (handled != Bridge.NOT_HANDLED) {
                result = Bridge.decodeRead(handled);
            }
        }
    }

    /** {@code FileInputStream.read([B)I}. */
    static final class ReadArrayAdvice {
        private ReadArrayAdvice() {
        }

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static long enter(@Advice.This FileInputStream self, @Advice.Argument(0) byte[] buffer) throws IOException {
            return buffer == null ? Bridge.NOT_HANDLED : Bridge.fileRead(self, buffer, 0, buffer.length, false);
        }

        @Advice.OnMethodExit
        static void exit(@Advice.Enter long handled, @Advice.Return(readOnly = false) int result) {
            if (handled != Bridge.NOT_HANDLED) {
                result = Bridge.decodeRead(handled);
            }
        }
    }

    /** {@code FileInputStream.read([BII)I}. */
    static final class ReadRangeAdvice {
        private ReadRangeAdvice() {
        }

        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static long enter(@Advice.This FileInputStream self, @Advice.Argument(0) byte[] buffer,
                          @Advice.Argument(1) int offset, @Advice.Argument(2) int length) throws IOException {
            return buffer == null ? Bridge.NOT_HANDLED : Bridge.fileRead(self, buffer, offset, length, false);
        }

        @Advice.OnMethodExit
        static void exit(@Advice.Enter long handled, @Advice.Return(readOnly = false) int result) {
            if (handled != Bridge.NOT_HANDLED) {
                result = Bridge.decodeRead(handled);
            }
        }
    }
}

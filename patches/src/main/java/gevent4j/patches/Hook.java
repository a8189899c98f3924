package gevent4j.patches;

import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Bytecode inserted into one JDK method: at its entry, before its returns, or in place of one call
 * it makes. Each hook is a call to one static method of {@code gevent4j.bootstrap.Bridge}, plus at
 * most one branch that returns early. Hooks add no locals and no fields, so retransformation
 * accepts them, and the only stack map frames they add equal the method's entry frame (plus at
 * most one stack item), so the method's own frames stay valid.
 */
interface Hook {

    String BRIDGE = "gevent4j/bootstrap/Bridge";

    /** Emits code at the method's entry. */
    default void onEnter(MethodVisitor mv) {
    }

    /** Emits code right before a return instruction, with the return value (if any) on the stack. */
    default void beforeReturn(MethodVisitor mv, int returnOpcode) {
    }

    /**
     * Called for every method call instruction of the patched method: emits code in place of the
     * call and returns true, or returns false to keep the call. The replacement consumes the
     * call's operands and leaves what the call would have left (it may push more arguments of its
     * own first, such as the method's parameters).
     */
    default boolean replaceCall(MethodVisitor mv, int opcode, String owner, String name, String descriptor) {
        return false;
    }

    /**
     * How many calls {@link #replaceCall} must replace in the method. A JDK whose method makes the
     * call a different number of times fails the whole installation instead of being patched
     * wrongly, as a missing method does.
     */
    default int requiredCallReplacements() {
        return 0;
    }

    /** {@code invokestatic Bridge.name(descriptor)}. */
    static void callBridge(MethodVisitor mv, String name, String descriptor) {
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, name, descriptor, false);
    }

    /** With a boolean on the stack: {@code if (it) return;} (for void methods). */
    static void returnIfTrue(MethodVisitor mv) {
        Label proceed = new Label();
        mv.visitJumpInsn(Opcodes.IFEQ, proceed);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitLabel(proceed);
        mv.visitFrame(Opcodes.F_SAME, 0, null, 0, null);
    }

    /** With a reference on the stack: {@code if (it != null) return it;}. */
    static void returnIfNonNull(MethodVisitor mv, String type) {
        Label proceed = new Label();
        mv.visitInsn(Opcodes.DUP);
        mv.visitJumpInsn(Opcodes.IFNULL, proceed);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitLabel(proceed);
        mv.visitFrame(Opcodes.F_SAME1, 0, null, 1, new Object[] {type});
        mv.visitInsn(Opcodes.POP);
    }

    /** With an encoded read result (long) on the stack: {@code if (it != NOT_HANDLED) return decode(it);}. */
    static void returnReadIfHandled(MethodVisitor mv) {
        Label proceed = new Label();
        mv.visitInsn(Opcodes.DUP2);
        mv.visitInsn(Opcodes.LCONST_0);
        mv.visitInsn(Opcodes.LCMP);
        mv.visitJumpInsn(Opcodes.IFEQ, proceed);
        callBridge(mv, "decodeRead", "(J)I");
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitLabel(proceed);
        mv.visitFrame(Opcodes.F_SAME1, 0, null, 1, new Object[] {Opcodes.LONG});
        mv.visitInsn(Opcodes.POP2);
    }
}

package gevent4j.patches;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites {@code new Thread(...)} in application classes so that the new thread is a greenlet.
 *
 * <p>After each {@code invokespecial java/lang/Thread.<init>} that initialises a
 * {@code new java/lang/Thread} (whatever the constructor), one call is inserted:
 * {@code Bridge.newThread(Thread)Thread}, which returns the greenlet that replaces the still
 * unstarted platform thread. The constructor keeps running as written, so argument checks, thread
 * names ({@code Thread-N}) and inherited state stay the JDK's. Nothing else moves, so stack maps
 * stay valid and no frames need recomputing. Superclass constructor calls from {@code Thread}
 * subclasses are left alone: subclasses stay platform threads.
 */
public final class NewThreadRewriter implements ClassFileTransformer {

    private static final String THREAD = "java/lang/Thread";
    private static final byte[] THREAD_UTF8 = THREAD.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final String BRIDGE = "gevent4j/bootstrap/Bridge";

    private final ClassLoader agentLoader;
    private final Instrumentation instrumentation;
    private final Module bridgeModule;
    private final Consumer<String> debug;
    private final Consumer<Throwable> failure;
    private final Set<String> threadSubclasses = ConcurrentHashMap.newKeySet();
    private volatile boolean reportedFailure;

    public NewThreadRewriter(ClassLoader agentLoader, Instrumentation instrumentation, Module bridgeModule,
                             Consumer<String> debug, Consumer<Throwable> failure) {
        this.agentLoader = agentLoader;
        this.instrumentation = instrumentation;
        this.bridgeModule = bridgeModule;
        this.debug = debug;
        this.failure = failure;
    }

    /** Application classes that extend Thread and so stay platform threads. */
    public Set<String> threadSubclasses() {
        return Set.copyOf(threadSubclasses);
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfile) {
        if (loader == null || loader == agentLoader || loader == ClassLoader.getPlatformClassLoader()
                || classBeingRedefined != null || !mentionsThread(classfile)) {
            return null;
        }
        try {
            return rewrite(module, className, classfile);
        } catch (Throwable t) {
            if (!reportedFailure) {
                reportedFailure = true;
                failure.accept(new IllegalStateException("cannot rewrite thread creation in " + className, t));
            }
            return null;
        }
    }

    private byte[] rewrite(Module module, String className, byte[] classfile) {
        ClassReader reader = new ClassReader(classfile);
        if (THREAD.equals(reader.getSuperName()) && threadSubclasses.add(className.replace('/', '.'))) {
            debug.accept("Thread subclass " + className.replace('/', '.') + " stays a platform thread");
        }
        ClassWriter writer = new ClassWriter(reader, 0);
        boolean[] changed = new boolean[1];
        String binaryName = reader.getClassName().replace('/', '.');
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            private String sourceFile;

            @Override
            public void visitSource(String source, String debugInfo) {
                sourceFile = source;
                super.visitSource(source, debugInfo);
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                return new NewThreadVisitor(super.visitMethod(access, name, descriptor, signature, exceptions), changed,
                    binaryName, name, sourceFile);
            }
        }, 0);
        if (!changed[0]) {
            return null;
        }
        if (module != null && module.isNamed() && !module.canRead(bridgeModule)) {
            // A named application module must read the bootstrap unnamed module to call the Bridge.
            instrumentation.redefineModule(module, Set.of(bridgeModule), Map.of(), Map.of(), Set.of(), Map.of());
        }
        return writer.toByteArray();
    }

    /**
     * A call site as the runtime reads it ({@code Greenlet.siteFrame}): {@code class;method;line;file}.
     * Names of classes and methods cannot contain ';' (JVMS 4.2.2), so only the file name, last,
     * may. An unknown line is -1, an unknown file empty.
     */
    static String site(String binaryClassName, String method, int line, String sourceFile) {
        return binaryClassName + ';' + method + ';' + line + ';' + (sourceFile == null ? "" : sourceFile);
    }

    /** A quick scan of the constant pool bytes: most classes never mention java/lang/Thread. */
    static boolean mentionsThread(byte[] classfile) {
        outer:
        for (int i = 0, last = classfile.length - THREAD_UTF8.length; i <= last; i++) {
            if (classfile[i] != 'j') {
                continue;
            }
            for (int j = 1; j < THREAD_UTF8.length; j++) {
                if (classfile[i + j] != THREAD_UTF8[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * Pairs each {@code invokespecial <init>} with the {@code new} it initialises (a stack, since
     * constructor arguments may themselves construct objects). Only a {@code new java/lang/Thread}
     * immediately followed by {@code dup} is rewritten: that leaves the initialised thread on the
     * operand stack for the inserted call to replace.
     */
    private static final class NewThreadVisitor extends MethodVisitor {
        private static final byte OTHER = 0;
        private static final byte THREAD_NEW = 1;
        private static final byte THREAD_NEW_DUP = 2;

        private final boolean[] changed;
        private final String className;
        private final String methodName;
        private final String sourceFile;
        private byte[] pending = new byte[8];
        private int depth;
        private boolean afterThreadNew;
        /** The source line of the instructions visited now, as the line number table gives it. */
        private int line = -1;

        NewThreadVisitor(MethodVisitor next, boolean[] changed, String className, String methodName, String sourceFile) {
            super(Opcodes.ASM9, next);
            this.changed = changed;
            this.className = className;
            this.methodName = methodName;
            this.sourceFile = sourceFile;
        }

        @Override
        public void visitLineNumber(int lineNumber, Label start) {
            line = lineNumber;
            super.visitLineNumber(lineNumber, start);
        }

        private void instruction() {
            afterThreadNew = false;
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            instruction();
            super.visitTypeInsn(opcode, type);
            if (opcode == Opcodes.NEW) {
                if (depth == pending.length) {
                    pending = java.util.Arrays.copyOf(pending, depth * 2);
                }
                boolean thread = THREAD.equals(type);
                pending[depth++] = thread ? THREAD_NEW : OTHER;
                afterThreadNew = thread;
            }
        }

        @Override
        public void visitInsn(int opcode) {
            if (afterThreadNew && opcode == Opcodes.DUP) {
                pending[depth - 1] = THREAD_NEW_DUP;
            }
            instruction();
            super.visitInsn(opcode);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            instruction();
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
            if (opcode == Opcodes.INVOKESPECIAL && "<init>".equals(name) && depth > 0) {
                byte kind = pending[--depth];
                if (kind == THREAD_NEW_DUP && THREAD.equals(owner)) {
                    // Where a stack trace would point: the line of the constructor call.
                    super.visitLdcInsn(site(className, methodName, line, sourceFile));
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, "newThread",
                        "(Ljava/lang/Thread;Ljava/lang/String;)Ljava/lang/Thread;", false);
                    changed[0] = true;
                }
            }
        }

        @Override
        public void visitIntInsn(int opcode, int operand) {
            instruction();
            super.visitIntInsn(opcode, operand);
        }

        @Override
        public void visitVarInsn(int opcode, int varIndex) {
            instruction();
            super.visitVarInsn(opcode, varIndex);
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            instruction();
            super.visitFieldInsn(opcode, owner, name, descriptor);
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, org.objectweb.asm.Handle bsm, Object... args) {
            instruction();
            super.visitInvokeDynamicInsn(name, descriptor, bsm, args);
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            instruction();
            super.visitJumpInsn(opcode, label);
        }

        @Override
        public void visitLdcInsn(Object value) {
            instruction();
            super.visitLdcInsn(value);
        }

        @Override
        public void visitIincInsn(int varIndex, int increment) {
            instruction();
            super.visitIincInsn(varIndex, increment);
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            instruction();
            super.visitTableSwitchInsn(min, max, dflt, labels);
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            instruction();
            super.visitLookupSwitchInsn(dflt, keys, labels);
        }

        @Override
        public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
            instruction();
            super.visitMultiANewArrayInsn(descriptor, numDimensions);
        }
    }
}

package gevent4j.patches;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Applies every JDK patch, all or nothing. Each target class is loaded (not initialised) first and
 * then retransformed, so every patch is verified at start-up rather than when the application
 * first touches a class. If any target or method is missing, or any transformation fails, the
 * original classes are restored and the caller is told: the JVM is never left half-patched.
 */
public final class PatchInstaller {

    private final Instrumentation instrumentation;
    private final ClassLoader agentLoader;
    private final Module bridgeModule;
    private final Consumer<String> debug;
    private final Consumer<Throwable> lateFailure;
    private JdkTransformer jdkTransformer;
    private NewThreadRewriter newThreadRewriter;

    public PatchInstaller(Instrumentation instrumentation, ClassLoader agentLoader, Module bridgeModule,
                          Consumer<String> debug, Consumer<Throwable> lateFailure) {
        this.instrumentation = instrumentation;
        this.agentLoader = agentLoader;
        this.bridgeModule = bridgeModule;
        this.debug = debug;
        this.lateFailure = lateFailure;
    }

    /**
     * Patches the JDK's classes, all or nothing. May run on any thread (the agent runs it beside
     * the Hub's start): until the Bridge has hooks, every patched method behaves as the JDK's own.
     *
     * @throws PatchException naming every class that failed and why; nothing stays installed then
     */
    public void installJdkPatches() throws PatchException {
        List<Patch> patches = JdkPatches.all();
        JdkTransformer transformer = new JdkTransformer(patches);
        List<Class<?>> targets = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Patch patch : patches) {
            try {
                targets.add(Class.forName(patch.typeName(), false, null));
            } catch (ClassNotFoundException e) {
                problems.add(patch.typeName() + ": no such class in this JDK");
            }
        }
        if (!problems.isEmpty()) {
            throw new PatchException("cannot patch the JDK: " + String.join("; ", problems));
        }
        instrumentation.addTransformer(transformer, true);
        try {
            instrumentation.retransformClasses(targets.toArray(new Class<?>[0]));
        } catch (Throwable t) {
            problems.add("retransformation failed: " + t);
        }
        problems.addAll(transformer.errors);
        for (Patch patch : patches) {
            if (!transformer.applied.contains(patch.internalName()) && transformer.errors.stream()
                    .noneMatch(e -> e.startsWith(patch.typeName()))) {
                problems.add(patch.typeName() + ": not transformed");
            }
        }
        if (!problems.isEmpty()) {
            restore(transformer, targets);
            throw new PatchException("cannot patch the JDK: " + String.join("; ", problems));
        }
        this.jdkTransformer = transformer;
        debug.accept("patched " + patches.size() + " JDK classes");
    }

    /** From now on, {@code new Thread} in application classes loaded later makes a greenlet. */
    public void rewriteNewThreads() {
        this.newThreadRewriter = new NewThreadRewriter(agentLoader, instrumentation, bridgeModule, debug, lateFailure);
        instrumentation.addTransformer(newThreadRewriter, false);
    }

    private void restore(JdkTransformer transformer, List<Class<?>> targets) {
        instrumentation.removeTransformer(transformer);
        try {
            instrumentation.retransformClasses(targets.toArray(new Class<?>[0]));
        } catch (Throwable t) {
            lateFailure.accept(new IllegalStateException("cannot restore the JDK classes", t));
        }
    }

    /** Removes every patch (used when start-up fails after {@link #installJdkPatches()}). */
    public void uninstall() {
        if (newThreadRewriter != null) {
            instrumentation.removeTransformer(newThreadRewriter);
        }
        if (jdkTransformer != null) {
            List<Class<?>> targets = new ArrayList<>();
            for (Patch patch : jdkTransformer.patches.values()) {
                try {
                    targets.add(Class.forName(patch.typeName(), false, null));
                } catch (ClassNotFoundException ignored) {
                    // it was found at install time
                }
            }
            restore(jdkTransformer, targets);
        }
    }

    public Set<String> threadSubclasses() {
        return newThreadRewriter == null ? Set.of() : newThreadRewriter.threadSubclasses();
    }

    /** Inserts the hooks of the patch for a class, for boot-loader classes only. */
    static final class JdkTransformer implements ClassFileTransformer {
        final Map<String, Patch> patches = new HashMap<>();
        final Set<String> applied = Collections.synchronizedSet(new HashSet<>());
        final List<String> errors = Collections.synchronizedList(new ArrayList<>());

        JdkTransformer(List<Patch> list) {
            for (Patch p : list) {
                patches.put(p.internalName(), p);
            }
        }

        @Override
        public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                                ProtectionDomain domain, byte[] classfile) {
            Patch patch = loader == null && className != null ? patches.get(className) : null;
            if (patch == null) {
                return null;
            }
            try {
                byte[] patched = apply(patch, classfile);
                applied.add(className);
                return patched;
            } catch (Throwable t) {
                errors.add(patch.typeName() + ": " + t.getMessage());
                return null;
            }
        }

        static byte[] apply(Patch patch, byte[] classfile) {
            ClassReader reader = new ClassReader(classfile);
            ClassWriter writer = new ClassWriter(reader, 0);
            Set<Patch.Method> found = new HashSet<>();
            List<String> wrongCalls = new ArrayList<>();
            reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                                 String[] exceptions) {
                    MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
                    Patch.Method method = patch.find(name, descriptor);
                    if (method == null || (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
                        return next;
                    }
                    found.add(method);
                    return new HookingMethodVisitor(next, method.hook(), replaced -> {
                        if (replaced != method.hook().requiredCallReplacements()) {
                            wrongCalls.add(method.name() + method.descriptor() + " (" + replaced + " of "
                                + method.hook().requiredCallReplacements() + ")");
                        }
                    });
                }
            }, 0);
            if (found.size() != patch.methods().size()) {
                List<String> missing = new ArrayList<>();
                for (Patch.Method m : patch.methods()) {
                    if (!found.contains(m)) {
                        missing.add(m.name() + m.descriptor());
                    }
                }
                throw new IllegalStateException("method not found (JDK changed?): " + String.join(", ", missing));
            }
            if (!wrongCalls.isEmpty()) {
                throw new IllegalStateException("call to replace not found as expected (JDK changed?): "
                    + String.join(", ", wrongCalls));
            }
            return writer.toByteArray();
        }
    }

    /** Places a hook's code at the entry, before the returns and in place of calls of one method. */
    private static final class HookingMethodVisitor extends MethodVisitor {
        /** Room for the arguments a hook pushes beyond what the method itself needed. */
        private static final int EXTRA_STACK = 8;
        private final Hook hook;
        /** Told, at the end of the method, how many calls the hook replaced. */
        private final IntConsumer replacedCalls;
        private int replaced;

        HookingMethodVisitor(MethodVisitor next, Hook hook, IntConsumer replacedCalls) {
            super(Opcodes.ASM9, next);
            this.hook = hook;
            this.replacedCalls = replacedCalls;
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            if (hook.replaceCall(mv, opcode, owner, name, descriptor)) {
                replaced++;
            } else {
                super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
            }
        }

        @Override
        public void visitEnd() {
            replacedCalls.accept(replaced);
            super.visitEnd();
        }

        @Override
        public void visitCode() {
            super.visitCode();
            hook.onEnter(mv);
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                hook.beforeReturn(mv, opcode);
            }
            super.visitInsn(opcode);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitMaxs(maxStack + EXTRA_STACK, maxLocals);
        }
    }

    /** Patching failed; the message names every class and reason. */
    public static final class PatchException extends Exception {
        private static final long serialVersionUID = 1L;

        PatchException(String message) {
            super(message);
        }
    }
}

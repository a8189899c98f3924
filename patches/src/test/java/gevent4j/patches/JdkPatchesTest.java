package gevent4j.patches;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** The patch list against the JDK that runs the tests (JDK 25): every method exists as declared. */
class JdkPatchesTest {

    private static byte[] jdkClassFile(String typeName) throws IOException {
        try (InputStream in = Object.class.getResourceAsStream("/" + typeName.replace('.', '/') + ".class")) {
            assertNotNull(in, "no class file for " + typeName);
            return in.readAllBytes();
        }
    }

    @TestFactory
    List<DynamicTest> everyPatchFindsEveryMethodInThisJdk() {
        return JdkPatches.all().stream()
            .map(patch -> DynamicTest.dynamicTest(patch.typeName(), () -> {
                byte[] original = jdkClassFile(patch.typeName());
                byte[] patched = PatchInstaller.JdkTransformer.apply(patch, original);
                assertTrue(patched.length > original.length, "hooks add code to " + patch.typeName());
            }))
            .toList();
    }

    @Test
    void aMethodMissingFromTheJdkFailsTheWholePatch() throws IOException {
        Patch wrong = new Patch("java.lang.Thread", "test", List.of(
            new Patch.Method("void noSuchMethod()", "noSuchMethod", "()V", new Hook() { })));
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> PatchInstaller.JdkTransformer.apply(wrong, jdkClassFile("java.lang.Thread")));
        assertTrue(e.getMessage().contains("noSuchMethod()V"), e.getMessage());
    }

    @Test
    void aCallMissingFromTheJdkMethodFailsTheWholePatch() throws IOException {
        Patch wrong = new Patch("java.lang.Thread", "test", List.of(
            new Patch.Method("public final boolean isDaemon()", "isDaemon", "()Z", new Hook() {
                @Override
                public int requiredCallReplacements() {
                    return 1; // and replaceCall never matches
                }
            })));
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> PatchInstaller.JdkTransformer.apply(wrong, jdkClassFile("java.lang.Thread")));
        assertTrue(e.getMessage().contains("isDaemon()Z (0 of 1)"), e.getMessage());
    }

    /** The reaper hand-off: the executor call is gone and the Bridge is called in its place, with pid and shouldReap. */
    @Test
    void processCompletionHandsItsReaperToTheBridgeInsteadOfTheExecutor() throws IOException {
        Patch patch = JdkPatches.all().stream().filter(p -> p.typeName().equals("java.lang.ProcessHandleImpl"))
            .findFirst().orElseThrow();
        byte[] patched = PatchInstaller.JdkTransformer.apply(patch, jdkClassFile(patch.typeName()));
        List<String> calls = new ArrayList<>();
        new ClassReader(patched).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                if (!name.equals("completion")) {
                    return null;
                }
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean itf) {
                        calls.add(owner + "." + method + desc);
                    }
                };
            }
        }, 0);
        assertTrue(calls.contains(Hook.BRIDGE + ".startReaper(Ljava/util/concurrent/Executor;Ljava/lang/Runnable;JZ)V"),
            calls.toString());
        assertFalse(calls.contains("java/util/concurrent/Executor.execute(Ljava/lang/Runnable;)V"), calls.toString());
    }

    /**
     * The drained-read skip: the Bridge is asked first (before the JDK takes its temporary direct
     * buffer), its "would block" is the JDK's own IOStatus.UNAVAILABLE, and every return reports
     * the read's result.
     */
    @Test
    void socketTryReadAsksTheBridgeFirstAndReportsEveryResult() throws IOException {
        Patch patch = JdkPatches.all().stream().filter(p -> p.typeName().equals("sun.nio.ch.NioSocketImpl"))
            .findFirst().orElseThrow();
        byte[] patched = PatchInstaller.JdkTransformer.apply(patch, jdkClassFile(patch.typeName()));
        List<String> calls = new ArrayList<>();
        int[] returns = new int[1];
        new ClassReader(patched).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                if (!name.equals("tryRead")) {
                    return null;
                }
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean itf) {
                        calls.add(owner + "." + method + desc);
                    }

                    @Override
                    public void visitInsn(int opcode) {
                        if (opcode == Opcodes.IRETURN) {
                            returns[0]++;
                        }
                    }
                };
            }
        }, 0);
        assertEquals(Hook.BRIDGE + ".skipDrainedRead(Ljava/io/FileDescriptor;)Z", calls.get(0), calls.toString());
        long reports = calls.stream().filter(c -> c.equals(Hook.BRIDGE + ".socketRead(ILjava/io/FileDescriptor;I)V")).count();
        assertEquals(returns[0] - 1, reports, "every return but the skip's reports its result: " + calls);
        assertTrue(reports >= 1, calls.toString());
        assertEquals(JdkPatches.IOSTATUS_UNAVAILABLE, jdkIntConstant("sun.nio.ch.IOStatus", "UNAVAILABLE"));
    }

    private static int jdkIntConstant(String typeName, String field) throws IOException {
        Object[] value = new Object[1];
        new ClassReader(jdkClassFile(typeName)).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public org.objectweb.asm.FieldVisitor visitField(int access, String name, String descriptor,
                                                             String signature, Object constant) {
                if (name.equals(field)) {
                    value[0] = constant;
                }
                return null;
            }
        }, 0);
        assertNotNull(value[0], typeName + "." + field + " is no constant");
        return (Integer) value[0];
    }

    @Test
    void targetsAreDistinctBootstrapClasses() {
        Set<String> seen = new HashSet<>();
        for (Patch patch : JdkPatches.all()) {
            assertTrue(seen.add(patch.typeName()), "listed twice: " + patch.typeName());
            Class<?> type = assertDoesNotThrow(() -> Class.forName(patch.typeName(), false, null));
            assertEquals(null, type.getClassLoader(), patch.typeName() + " must be a boot loader class");
            assertFalse(patch.methods().isEmpty());
        }
    }

    @Test
    void patchedMethodsDocIsCurrent() throws IOException {
        Path doc = Paths.get("").toAbsolutePath().getParent().resolve("docs/patched-methods.md");
        assertTrue(Files.exists(doc), "missing " + doc + "; run bin/gen-docs");
        assertEquals(JdkPatches.renderMarkdown(), Files.readString(doc),
            "docs/patched-methods.md is out of date with JdkPatches; run bin/gen-docs and commit the result");
    }
}

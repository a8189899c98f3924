package gevent4j.patches;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Applies every patch, all or nothing (Byte Buddy's retransformation recipe:
 * {@code disableClassFormatChanges} and {@code RETRANSFORMATION}). Byte Buddy ignores bootstrap
 * classes by default; this installer replaces that default with an explicit list of JDK types.
 * Errors are collected by one listener; if any patch fails, every transformation is reset and the
 * caller is told, so the JVM is never left half-patched.
 */
public final class PatchInstaller {

    private final Instrumentation instrumentation;
    private final ClassLoader adviceLoader;
    private final Module bridgeModule;
    private final Consumer<String> debug;
    private final Consumer<Throwable> lateFailure;
    private ResettableClassFileTransformer jdkTransformer;
    private NewThreadRewriter newThreadRewriter;

    public PatchInstaller(Instrumentation instrumentation, ClassLoader adviceLoader, Module bridgeModule,
                          Consumer<String> debug, Consumer<Throwable> lateFailure) {
        this.instrumentation = instrumentation;
        this.adviceLoader = adviceLoader;
        this.bridgeModule = bridgeModule;
        this.debug = debug;
        this.lateFailure = lateFailure;
    }

    /**
     * Installs everything.
     *
     * @throws PatchException naming every type that failed; nothing stays installed then
     */
    public void install() throws PatchException {
        List<Patch> patches = JdkPatches.all();
        Set<String> transformed = ConcurrentHashMap.newKeySet();
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        AgentBuilder builder = new AgentBuilder.Default()
            .disableClassFormatChanges()
            .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
            .with(AgentBuilder.TypeStrategy.Default.DECORATE)
            .with(new AgentBuilder.Listener.Adapter() {
                @Override
                public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module,
                                             boolean loaded, DynamicType dynamicType) {
                    transformed.add(type.getName());
                }

                @Override
                public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded,
                                    Throwable throwable) {
                    errors.add(typeName + ": " + throwable);
                    if (!loaded) {
                        lateFailure.accept(new IllegalStateException("patching " + typeName + " failed", throwable));
                    }
                }
            })
            .ignore(none());
        for (Patch patch : patches) {
            AgentBuilder.Transformer.ForAdvice advice = new AgentBuilder.Transformer.ForAdvice()
                .include(adviceLoader);
            for (Patch.Method method : patch.methods()) {
                advice = advice.advice(method.matcher(), method.advice());
            }
            builder = builder.type(named(patch.typeName())).transform(advice);
        }
        ResettableClassFileTransformer transformer = builder.installOn(instrumentation);
        List<String> problems = new ArrayList<>(errors);
        for (Patch patch : patches) {
            if (isLoaded(patch.typeName()) && !transformed.contains(patch.typeName())) {
                problems.add(patch.typeName() + ": loaded but not transformed");
            }
        }
        if (!problems.isEmpty()) {
            transformer.reset(instrumentation, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
            throw new PatchException("cannot patch the JDK: " + String.join("; ", problems));
        }
        this.jdkTransformer = transformer;
        this.newThreadRewriter = new NewThreadRewriter(adviceLoader, instrumentation, bridgeModule, debug, lateFailure);
        instrumentation.addTransformer(newThreadRewriter, false);
        debug.accept("patched " + transformed.size() + " JDK classes: " + transformed);
    }

    private boolean isLoaded(String typeName) {
        for (Class<?> c : instrumentation.getAllLoadedClasses()) {
            if (c.getName().equals(typeName) && c.getClassLoader() == null) {
                return true;
            }
        }
        return false;
    }

    /** Removes every patch (used when start-up fails after install). */
    public void uninstall() {
        if (newThreadRewriter != null) {
            instrumentation.removeTransformer(newThreadRewriter);
        }
        if (jdkTransformer != null) {
            jdkTransformer.reset(instrumentation, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
        }
    }

    public Set<String> threadSubclasses() {
        return newThreadRewriter == null ? Set.of() : newThreadRewriter.threadSubclasses();
    }

    /** Patching failed; the message names every type and reason. */
    public static final class PatchException extends Exception {
        private static final long serialVersionUID = 1L;

        PatchException(String message) {
            super(message);
        }
    }
}

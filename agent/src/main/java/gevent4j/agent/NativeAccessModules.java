package gevent4j.agent;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Gives the agent's native code named modules of the agent's class loader, with native access
 * enabled, before any of their classes loads:
 * <ul>
 *   <li>{@code gevent4j.jffi}: jffi, the native stub under JNR-FFI. Its {@code System.load} of its
 *       stub library and the binding of its native methods are restricted;</li>
 *   <li>{@code gevent4j.ffm}: {@code gevent4j.loops.ffm}, the one package of the loops that calls
 *       java.lang.foreign's restricted methods ({@code Linker.downcallHandle}, {@code upcallStub},
 *       {@code SymbolLookup.libraryLookup}, {@code MemorySegment.reinterpret}) for the FFM loops ({@code libev-ffm}, {@code libuv-ffm}).</li>
 * </ul>
 *
 * <p>Why: on JDK 24+ a restricted method prints the JDK's warning unless the calling module has
 * native access (JEP 472). The JDK grants native access to unnamed modules only all together
 * ({@code --enable-native-access=ALL-UNNAMED}), which would also silence the warning for the
 * application's own code. Named modules defined to our own loader, with native access enabled,
 * cover exactly these packages and nothing else. They are automatic modules, so they read the
 * agent's unnamed module (the runtime and the rest of the loops) and export their packages to it.
 * jffi's packages keep their names (the stub library binds {@code Java_com_kenai_jffi_*} symbols);
 * the agent class loader is what keeps them apart from an application's own jffi.
 *
 * <p>When: {@link AgentClassLoader} creates this class and calls {@link #accept} just before it
 * defines the first class of these packages (its {@code NATIVE_PACKAGES}, which must list the same
 * packages), on whichever thread needs one first; a JVM that never needs them (the {@code jdk}
 * loop without child processes) never defines the layer. Public for that loader alone, which
 * lives in the application's class loader and creates this class by name.
 */
public final class NativeAccessModules implements Consumer<ClassLoader> {

    static final String JFFI = "gevent4j.jffi";
    static final String FFM = "gevent4j.ffm";
    /** Each module's packages (jffi's stub loader class in the second is renamed by the build: AgentClassLoader). */
    private static final Map<String, Set<String>> PACKAGES = Map.of(
        JFFI, Set.of("com.kenai.jffi", "com.kenai.jffi.internal"),
        FFM, Set.of("gevent4j.loops.ffm"));

    public NativeAccessModules() {
    }

    /**
     * Defines both modules for {@code loader}, once the agent has opened {@code java.lang} to
     * itself (needed to enable native access without a warning); before that (as {@code info}
     * without an Instrumentation) it defines nothing and the classes load without the modules.
     */
    @Override
    public void accept(ClassLoader loader) {
        if (Object.class.getModule().isOpen("java.lang", NativeAccessModules.class.getModule())) {
            define(loader);
        }
    }

    /** Defines both modules; must run before the first class of their packages is loaded by {@code loader}. */
    static List<Module> define(ClassLoader loader) {
        Map<String, ModuleReference> references = new LinkedHashMap<>();
        PACKAGES.forEach((name, packages) -> {
            ModuleDescriptor descriptor = ModuleDescriptor.newAutomaticModule(name).packages(packages).build();
            references.put(name, new ModuleReference(descriptor, null) {
                @Override
                public ModuleReader open() {
                    throw new UnsupportedOperationException("classes of " + name + " come from the agent jar");
                }
            });
        });
        ModuleFinder finder = new ModuleFinder() {
            @Override
            public Optional<ModuleReference> find(String name) {
                return Optional.ofNullable(references.get(name));
            }

            @Override
            public Set<ModuleReference> findAll() {
                return Set.copyOf(references.values());
            }
        };
        ModuleLayer boot = ModuleLayer.boot();
        Configuration configuration = boot.configuration().resolve(finder, ModuleFinder.of(), references.keySet());
        ModuleLayer.Controller controller = ModuleLayer.defineModules(configuration, List.of(boot), name -> loader);
        List<Module> modules = references.keySet().stream()
            .map(name -> controller.layer().findModule(name).orElseThrow())
            .collect(Collectors.toList());
        modules.forEach(NativeAccessModules::enableNativeAccess);
        return modules;
    }

    /**
     * {@code Controller.enableNativeAccess} is itself a restricted method (it would warn about our
     * own module); the JDK's internal {@code Module.implAddEnableNativeAccess()}, reachable because
     * {@link ModuleOpener} opened {@code java.lang} to the agent, does the same for one module
     * without a warning.
     */
    private static void enableNativeAccess(Module module) {
        try {
            MethodHandles.privateLookupIn(Module.class, MethodHandles.lookup())
                .findVirtual(Module.class, "implAddEnableNativeAccess", MethodType.methodType(Module.class))
                .invoke(module);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot enable native access for " + module.getName() + ": " + e, e);
        }
    }
}

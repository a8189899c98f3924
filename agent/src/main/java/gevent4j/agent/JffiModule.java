package gevent4j.agent;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Gives jffi (the native stub under JNR-FFI) a named module of the agent's class loader, with
 * native access enabled, before any of its classes loads.
 *
 * <p>Why: on JDK 24+ jffi's {@code System.load} of its stub library and the binding of its native
 * methods print the JDK's restricted-method warning unless the calling module has native access
 * (JEP 472). The JDK grants native access to unnamed modules only all together
 * ({@code --enable-native-access=ALL-UNNAMED}), which would also silence the warning for the
 * application's own code. A named module defined to our own loader, with
 * native access enabled, covers exactly jffi and nothing else.
 * jffi's packages keep their names (the stub library binds {@code Java_com_kenai_jffi_*} symbols);
 * the agent class loader is what keeps them apart from an application's own jffi.
 */
final class JffiModule {

    static final String NAME = "gevent4j.jffi";
    /** jffi's packages (the stub loader class in the second is renamed by the build: AgentClassLoader). */
    private static final Set<String> PACKAGES = Set.of("com.kenai.jffi", "com.kenai.jffi.internal");

    private JffiModule() {
    }

    /** Defines the module; must run before the first jffi class is loaded by {@code loader}. */
    static Module define(ClassLoader loader) {
        ModuleDescriptor descriptor = ModuleDescriptor.newAutomaticModule(NAME).packages(PACKAGES).build();
        ModuleReference reference = new ModuleReference(descriptor, null) {
            @Override
            public ModuleReader open() {
                throw new UnsupportedOperationException("classes of " + NAME + " come from the agent jar");
            }
        };
        ModuleFinder finder = new ModuleFinder() {
            @Override
            public Optional<ModuleReference> find(String name) {
                return NAME.equals(name) ? Optional.of(reference) : Optional.empty();
            }

            @Override
            public Set<ModuleReference> findAll() {
                return Set.of(reference);
            }
        };
        ModuleLayer boot = ModuleLayer.boot();
        Configuration configuration = boot.configuration().resolve(finder, ModuleFinder.of(), Set.of(NAME));
        ModuleLayer.Controller controller = ModuleLayer.defineModules(configuration, List.of(boot), name -> loader);
        Module module = controller.layer().findModule(NAME).orElseThrow();
        enableNativeAccess(module);
        return module;
    }

    /**
     * {@code Controller.enableNativeAccess} is itself a restricted method (it would warn about our
     * own module); the JDK's internal {@code Module.implAddEnableNativeAccess()}, reachable because
     * {@link ModuleOpener} opened {@code java.lang} to the agent, does the same for this one module
     * without a warning.
     */
    private static void enableNativeAccess(Module module) {
        try {
            MethodHandles.privateLookupIn(Module.class, MethodHandles.lookup())
                .findVirtual(Module.class, "implAddEnableNativeAccess", MethodType.methodType(Module.class))
                .invoke(module);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot enable native access for " + NAME + ": " + e, e);
        }
    }
}

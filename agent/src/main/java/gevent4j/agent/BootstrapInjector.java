package gevent4j.agent;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * Defines the classes the JDK and the application must share with the agent in the bootstrap
 * class loader: the bridge that patched JDK code calls ({@code gevent4j.bootstrap}), and the public
 * greenlet API ({@code gevent4j}, {@code gevent4j.events}), so that an application compiled against
 * the {@code runtime} artifact sees the very classes the agent fills in (one {@code Greenlet} per
 * greenlet, one event bus). {@code Instrumentation.appendToBootstrapClassLoaderSearch} would do
 * the same but turns off class data sharing for application classes and prints a warning on the
 * user's stderr; defining the classes directly does neither.
 */
final class BootstrapInjector {

    /** The packages defined into the boot loader; nothing else of the agent ever is. */
    static final List<String> BOOT_PACKAGES = List.of("gevent4j.bootstrap", "gevent4j", "gevent4j.events");
    /** Defined last: its presence means an earlier start defined everything. */
    private static final String BRIDGE = "gevent4j.bootstrap.Bridge";

    private BootstrapInjector() {
    }

    /** Returns the bridge class, defining the boot packages unless an earlier start did. */
    static Class<?> inject(ClassLoader agentLoader) throws Exception {
        try {
            return Class.forName(BRIDGE, false, null);
        } catch (ClassNotFoundException notYet) {
            // define below
        }
        Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
        Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
        Method define = unsafeClass.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
            ClassLoader.class, java.security.ProtectionDomain.class);
        List<String> pending = bootClasses(agentLoader);
        pending.remove(BRIDGE);
        pending.add(BRIDGE);
        // A class can only be defined once its supertypes are: define in rounds until none is left.
        while (!pending.isEmpty()) {
            List<String> deferred = new ArrayList<>();
            LinkageError lastFailure = null;
            for (String name : pending) {
                byte[] bytes = classBytes(agentLoader, name);
                try {
                    define.invoke(unsafe, name, bytes, 0, bytes.length, null, null);
                } catch (InvocationTargetException e) {
                    if (e.getCause() instanceof NoClassDefFoundError missingSupertype) {
                        deferred.add(name);
                        lastFailure = missingSupertype;
                    } else {
                        throw e;
                    }
                }
            }
            if (deferred.size() == pending.size()) {
                throw new IllegalStateException("cannot define " + deferred + " in the boot loader", lastFailure);
            }
            pending = deferred;
        }
        return Class.forName(BRIDGE, false, null);
    }

    /**
     * Every class of {@link #BOOT_PACKAGES} (not of their subpackages) in the agent jar, found
     * through the jar that holds the bridge's class file.
     */
    static List<String> bootClasses(ClassLoader agentLoader) throws java.io.IOException {
        java.net.URL bridge = agentLoader.getResource(BRIDGE.replace('.', '/') + ".class");
        if (bridge == null || !(bridge.openConnection() instanceof java.net.JarURLConnection connection)) {
            throw new java.io.IOException("the agent jar has no class " + BRIDGE);
        }
        connection.setUseCaches(false);
        List<String> names = new ArrayList<>();
        try (java.util.jar.JarFile jar = connection.getJarFile()) {
            for (java.util.jar.JarEntry e : java.util.Collections.list(jar.entries())) {
                String n = e.getName();
                if (!n.startsWith("inst/") || !n.endsWith(".classdata")) {
                    continue;
                }
                String className = n.substring("inst/".length(), n.length() - ".classdata".length()).replace('/', '.');
                int dot = className.lastIndexOf('.');
                if (dot > 0 && BOOT_PACKAGES.contains(className.substring(0, dot))) {
                    names.add(className);
                }
            }
        }
        return names;
    }

    /** The class file, read through the agent loader's {@code .class} to {@code .classdata} mapping. */
    private static byte[] classBytes(ClassLoader agentLoader, String name) throws java.io.IOException {
        try (java.io.InputStream in = agentLoader.getResourceAsStream(name.replace('.', '/') + ".class")) {
            if (in == null) {
                throw new java.io.IOException("the agent jar has no class " + name);
            }
            return in.readAllBytes();
        }
    }
}

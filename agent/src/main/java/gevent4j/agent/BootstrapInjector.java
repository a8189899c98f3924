package gevent4j.agent;

import java.lang.reflect.Method;

/**
 * Defines the bridge classes in the bootstrap class loader, where patched JDK classes can see
 * them. {@code Instrumentation.appendToBootstrapClassLoaderSearch} would do the same but turns off
 * class data sharing for application classes and prints a warning on the user's stderr; defining
 * the two classes directly does neither.
 */
final class BootstrapInjector {

    /** Every class of gevent4j.bootstrap, in an order where supertypes come first. */
    static final String[] BRIDGE_CLASSES = {"gevent4j.bootstrap.Hooks", "gevent4j.bootstrap.Bridge"};

    private BootstrapInjector() {
    }

    /** Returns the bridge class, defining it in the boot loader unless an earlier start did. */
    static Class<?> inject(ClassLoader agentLoader) throws Exception {
        try {
            return Class.forName(BRIDGE_CLASSES[BRIDGE_CLASSES.length - 1], false, null);
        } catch (ClassNotFoundException notYet) {
            // define below
        }
        Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
        Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
        Method define = unsafeClass.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
            ClassLoader.class, java.security.ProtectionDomain.class);
        Class<?> last = null;
        for (String name : BRIDGE_CLASSES) {
            byte[] bytes = classBytes(agentLoader, name);
            last = (Class<?>) define.invoke(unsafe, name, bytes, 0, bytes.length, null, null);
        }
        return last;
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

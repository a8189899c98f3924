package gevent4j.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Defines the classes the JDK and the application must share with the agent in the bootstrap
 * class loader: the bridge that patched JDK code calls ({@code gevent4j.bootstrap}), and the public
 * greenlet API ({@code gevent4j}, {@code gevent4j.events}), so that an application compiled against
 * the {@code runtime} artifact sees the very classes the agent fills in (one {@code Greenlet} per
 * greenlet, one event bus). {@code Instrumentation.appendToBootstrapClassLoaderSearch} would do
 * the same but turns off class data sharing for application classes and prints a warning on the
 * user's stderr; defining the classes directly does neither.
 *
 * <p>Start-up cost matters here: the class files are read straight from the agent jar (opened
 * again, which shares the already-read central directory, rather than through the agent loader's
 * resources, which ask the JDK's own modules first), and {@code Unsafe.defineClass} is called
 * through an exact method handle rather than {@code Method.invoke}, whose accessor for a
 * six-argument method costs more to generate than all the definitions together.
 */
final class BootstrapInjector {

    /** The packages defined into the boot loader; nothing else of the agent ever is. */
    static final List<String> BOOT_PACKAGES = List.of("gevent4j.bootstrap", "gevent4j", "gevent4j.events");
    /** Defined last: its presence means an earlier start defined everything. */
    private static final String BRIDGE = "gevent4j.bootstrap.Bridge";
    private static final String PREFIX = "inst/";
    private static final String SUFFIX = ".classdata";

    private BootstrapInjector() {
    }

    /**
     * Returns the bridge class, defining the boot packages unless an earlier start did.
     *
     * @throws IllegalStateException when the agent's own loader defined a class of the boot
     *     packages (see {@link #checkNotShadowed})
     */
    static Class<?> inject(ClassLoader agentLoader) throws Throwable {
        try {
            Class<?> bridge = Class.forName(BRIDGE, false, null);
            checkNotShadowed(agentLoader);
            return bridge;
        } catch (ClassNotFoundException notYet) {
            // define below
        }
        MethodHandle define = unsafeDefineClass();
        try (JarFile jar = new JarFile(agentJar(), false)) {
            List<JarEntry> pending = bootClasses(jar);
            if (pending.stream().noneMatch(e -> className(e).equals(BRIDGE))) {
                throw new IOException("the agent jar has no class " + BRIDGE);
            }
            // The bridge goes last (see BRIDGE).
            pending.sort((a, b) -> Boolean.compare(className(a).equals(BRIDGE), className(b).equals(BRIDGE)));
            // A class can only be defined once its supertypes are: define in rounds until none is left.
            while (!pending.isEmpty()) {
                List<JarEntry> deferred = new ArrayList<>();
                LinkageError lastFailure = null;
                for (JarEntry entry : pending) {
                    byte[] bytes = read(jar, entry);
                    try {
                        Class<?> defined = (Class<?>) define.invokeExact(className(entry), bytes, 0, bytes.length,
                            (ClassLoader) null, (ProtectionDomain) null);
                    } catch (NoClassDefFoundError missingSupertype) {
                        deferred.add(entry);
                        lastFailure = missingSupertype;
                    }
                }
                if (deferred.size() == pending.size()) {
                    List<String> names = deferred.stream().map(BootstrapInjector::className).toList();
                    throw new IllegalStateException("cannot define " + names + " in the boot loader", lastFailure);
                }
                pending = deferred;
            }
        }
        checkNotShadowed(agentLoader);
        return Class.forName(BRIDGE, false, null);
    }

    /**
     * Checks that the agent's loader has defined no class of the boot packages: one that did (a
     * thread of the agent that reached such a class before it was defined here, such as the loop
     * probe, which runs beside this on {@code gevent4j-loop-probe}) would have a copy the JDK's patched
     * code never sees. From now on the agent's loader finds them here, parent first.
     */
    private static void checkNotShadowed(ClassLoader agentLoader) {
        for (String pkg : BOOT_PACKAGES) {
            if (agentLoader.getDefinedPackage(pkg) != null) {
                throw new IllegalStateException("the agent's class loader loaded a class of " + pkg
                    + " before it was defined in the boot loader");
            }
        }
    }

    /** {@code Unsafe.defineClass} bound to the Unsafe instance (ModuleOpener opened jdk.internal.misc). */
    private static MethodHandle unsafeDefineClass() throws ReflectiveOperationException {
        Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
        MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(unsafeClass, MethodHandles.lookup());
        MethodHandle getUnsafe = lookup.findStatic(unsafeClass, "getUnsafe", MethodType.methodType(unsafeClass))
            .asType(MethodType.methodType(Object.class));
        Object unsafe;
        try {
            unsafe = (Object) getUnsafe.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("cannot get jdk.internal.misc.Unsafe: " + t, t);
        }
        return lookup.findVirtual(unsafeClass, "defineClass", MethodType.methodType(Class.class, String.class,
                byte[].class, int.class, int.class, ClassLoader.class, ProtectionDomain.class))
            .bindTo(unsafe);
    }

    /** The agent jar, as the agent class loader's code source names it. */
    private static File agentJar() throws IOException {
        CodeSource source = BootstrapInjector.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IOException("cannot locate gevent4j-agent.jar");
        }
        try {
            return new File(source.getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException("cannot locate gevent4j-agent.jar: " + e.getMessage(), e);
        }
    }

    /** Every class of {@link #BOOT_PACKAGES} (not of their subpackages) in the agent jar. */
    static List<JarEntry> bootClasses(JarFile jar) {
        List<JarEntry> entries = new ArrayList<>();
        for (Enumeration<JarEntry> all = jar.entries(); all.hasMoreElements(); ) {
            JarEntry e = all.nextElement();
            String n = e.getName();
            if (n.startsWith(PREFIX) && n.endsWith(SUFFIX)) {
                String className = className(e);
                int dot = className.lastIndexOf('.');
                if (dot > 0 && BOOT_PACKAGES.contains(className.substring(0, dot))) {
                    entries.add(e);
                }
            }
        }
        return entries;
    }

    /**
     * The entry's bytes in an array of their exact size, as AgentClassLoader reads its classes. A
     * copy on purpose: AgentClassLoader is at the jar's root in the application's class loader,
     * this class under {@code inst/} in the agent's, whose parent is the platform loader, so
     * neither can call the other.
     */
    private static byte[] read(JarFile jar, JarEntry entry) throws IOException {
        long size = entry.getSize();
        try (InputStream in = jar.getInputStream(entry)) {
            if (size < 0 || size > Integer.MAX_VALUE - 8) {
                return in.readAllBytes();
            }
            byte[] bytes = new byte[(int) size];
            if (in.readNBytes(bytes, 0, bytes.length) != bytes.length || in.read() != -1) {
                throw new IOException(entry.getName() + ": not the " + size + " bytes its jar entry says");
            }
            return bytes;
        }
    }

    private static String className(JarEntry entry) {
        String n = entry.getName();
        return n.substring(PREFIX.length(), n.length() - SUFFIX.length()).replace('/', '.');
    }
}

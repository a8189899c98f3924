package gevent4j.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Set;
import java.util.function.Consumer;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the agent's own classes from {@code inst/**&#47;*.classdata} inside the agent jar, where no
 * application class loader can find them (the OpenTelemetry agent's layout). Its parent is the
 * platform loader: the agent sees the JDK and the bootstrap bridge, never the application, and the
 * application never sees the agent's relocated Byte Buddy.
 *
 * <p>Resources ending in {@code .class} map to their {@code .classdata} entries so that Byte Buddy
 * can read advice class files through {@code getResource}.
 */
final class AgentClassLoader extends ClassLoader {

    static {
        registerAsParallelCapable();
    }

    private static final String PREFIX = "inst/";
    private static final String JFFI_INIT = "com.kenai.jffi.Init";
    private static final String JFFI_STUB_SUFFIX = ".internal.StubLoader";
    private static final String JFFI_STUB_SUFFIX_RENAMED = ".internal.Gevent4jSL";
    /**
     * The packages of the agent's native-access modules (the same as in {@code NativeAccessModules}):
     * the modules are defined just before the first of their classes is, on whichever thread needs
     * one first, so that a JVM that never calls native code through them (the {@code jdk} loop
     * without child processes) does not pay for the layer.
     */
    static final Set<String> NATIVE_PACKAGES = Set.of("com.kenai.jffi", "com.kenai.jffi.internal", "gevent4j.loops.ffm");
    private static final String NATIVE_MODULES = "gevent4j.agent.NativeAccessModules";
    private final Object nativeModulesLock = new Object();
    /** Whether the native-access modules were asked for; set under the lock, read without it. */
    private volatile boolean nativeModulesDone;
    /** Why they could not be defined, or null; written before {@link #nativeModulesDone}. */
    private volatile Throwable nativeModulesFailure;
    private final JarFile jar;
    private final String jarUrl;
    private final ProtectionDomain domain;

    private AgentClassLoader(File jarFile) throws IOException {
        super("gevent4j", ClassLoader.getPlatformClassLoader());
        this.jar = new JarFile(jarFile, false);
        this.jarUrl = "jar:" + jarFile.toURI() + "!/";
        this.domain = new ProtectionDomain(new CodeSource(jarFile.toURI().toURL(), (Certificate[]) null), null, this, null);
    }

    static AgentClassLoader forAgentJar() throws IOException, URISyntaxException {
        CodeSource source = Gevent4jAgent.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IOException("cannot locate gevent4j-agent.jar");
        }
        return new AgentClassLoader(new File(source.getLocation().toURI()));
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        JarEntry entry = jar.getJarEntry(PREFIX + name.replace('.', '/') + ".classdata");
        if (entry == null) {
            throw new ClassNotFoundException(name);
        }
        int dot = name.lastIndexOf('.');
        if (dot > 0 && NATIVE_PACKAGES.contains(name.substring(0, dot))) {
            requireNativeModules(name);
        }
        try {
            byte[] bytes = read(jar, entry);
            if (name.equals(JFFI_INIT)) {
                renameJffiStubLoader(bytes);
            }
            definePackageIfNeeded(name);
            return defineClass(name, bytes, 0, bytes.length, domain);
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
    }

    /**
     * The entry's bytes, read into an array of their exact size where the jar says it: a
     * {@code readAllBytes} allocates a 16 KiB buffer and then a copy for every class, garbage that
     * the agent's thousand-odd classes turn into several megabytes of young-generation pages
     * touched during start-up, which stay in the process's RSS.
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

    /**
     * Before class {@code name} of a native-access package is defined: defines the modules once,
     * through the agent's {@code NativeAccessModules} (found by name: it lives in this loader, not
     * in the application's). That defines nothing before the agent has opened {@code java.lang} to
     * itself (as {@code info} without an Instrumentation): the classes then load without them.
     *
     * @throws ClassNotFoundException when the modules could not be defined: loaded into the unnamed
     *     module, the class's native calls would print the JDK's warning on the application's
     *     stderr, so the loop or feature that needs it is unavailable instead
     */
    @SuppressWarnings("unchecked")
    private void requireNativeModules(String name) throws ClassNotFoundException {
        if (!nativeModulesDone) {
            synchronized (nativeModulesLock) {
                if (!nativeModulesDone) {
                    try {
                        Object definer = loadClass(NATIVE_MODULES).getConstructor().newInstance();
                        ((Consumer<ClassLoader>) definer).accept(this);
                    } catch (InvocationTargetException e) {
                        nativeModulesFailure = e.getCause();
                    } catch (Throwable t) {
                        nativeModulesFailure = t;
                    }
                    nativeModulesDone = true;
                }
            }
        }
        Throwable failure = nativeModulesFailure;
        if (failure != null) {
            throw new ClassNotFoundException(name + " (the agent's native-access modules could not be defined: "
                + failure + ")", failure);
        }
    }

    /**
     * jffi's {@code Init} looks its stub loader up by name in the system class loader first, where
     * an application that brings its own jffi has one: ours would then load the native stub into
     * the application's loader and our jffi could not link to it. The build renames our stub loader
     * ({@code com.kenai.jffi.internal.StubLoader} to {@code ...Gevent4jSL}, see the agent pom);
     * {@code Init} computes the name from its package plus the constant below, which is rewritten
     * here to the new name of the same length (a same-length change of one CONSTANT_Utf8 keeps the
     * class file valid).
     */
    private static void renameJffiStubLoader(byte[] classFile) {
        byte[] from = JFFI_STUB_SUFFIX.getBytes(StandardCharsets.UTF_8);
        byte[] to = JFFI_STUB_SUFFIX_RENAMED.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + from.length <= classFile.length; i++) {
            for (int j = 0; j < from.length; j++) {
                if (classFile[i + j] != from[j]) {
                    continue outer;
                }
            }
            System.arraycopy(to, 0, classFile, i, to.length);
            return;
        }
        throw new IllegalStateException("jffi's Init no longer names its stub loader '" + JFFI_STUB_SUFFIX
            + "': update the agent's renaming for this jffi version");
    }

    private void definePackageIfNeeded(String className) {
        int dot = className.lastIndexOf('.');
        if (dot > 0) {
            String pkg = className.substring(0, dot);
            if (getDefinedPackage(pkg) == null) {
                try {
                    definePackage(pkg, null, null, null, null, null, null, null);
                } catch (IllegalArgumentException alreadyDefinedConcurrently) {
                    // another thread won the race
                }
            }
        }
    }

    @Override
    protected URL findResource(String name) {
        String entryName = name.endsWith(".class")
            ? PREFIX + name.substring(0, name.length() - ".class".length()) + ".classdata"
            : PREFIX + name;
        if (jar.getJarEntry(entryName) == null) {
            return null;
        }
        try {
            return new URL(jarUrl + entryName);
        } catch (MalformedURLException e) {
            return null;
        }
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL url = findResource(name);
        return url == null ? Collections.emptyEnumeration() : Collections.enumeration(java.util.List.of(url));
    }
}

package gevent4j.patches;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.bootstrap.Bridge;
import gevent4j.bootstrap.Hooks;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code new Thread} rewrite, on real classes compiled by javac ({@link Samples}), loaded by a
 * loader that applies the rewriter, with a recording Bridge.
 */
class NewThreadRewriterTest {

    private final List<Thread> replaced = new ArrayList<>();
    private final List<String> sites = new ArrayList<>();
    private final List<String> debug = new ArrayList<>();

    @BeforeEach
    void recordReplacements() {
        Hooks recording = (Hooks) Proxy.newProxyInstance(Hooks.class.getClassLoader(), new Class<?>[] {Hooks.class},
            (proxy, method, args) -> {
                if (method.getName().equals("newThread")) {
                    replaced.add((Thread) args[0]);
                    sites.add((String) args[1]);
                    return args[0];
                }
                throw new AssertionError("unexpected hook " + method);
            });
        Bridge.install(recording);
    }

    @AfterEach
    void uninstall() {
        Bridge.install(null);
    }

    private Class<?> rewritten(Class<?> sample) throws Exception {
        NewThreadRewriter rewriter = new NewThreadRewriter(null, null, null, debug::add, t -> {
            throw new AssertionError(t);
        });
        String name = sample.getName();
        byte[] original;
        try (InputStream in = sample.getResourceAsStream("/" + name.replace('.', '/') + ".class")) {
            original = in.readAllBytes();
        }
        ClassLoader parent = getClass().getClassLoader();
        ClassLoader loader = new ClassLoader(parent) {
            @Override
            protected Class<?> loadClass(String n, boolean resolve) throws ClassNotFoundException {
                if (!n.equals(name)) {
                    return super.loadClass(n, resolve);
                }
                synchronized (getClassLoadingLock(n)) {
                    Class<?> c = findLoadedClass(n);
                    if (c == null) {
                        byte[] bytes = rewriter.transform(null, this, n.replace('.', '/'), null, null, original);
                        byte[] use = bytes == null ? original : bytes;
                        c = defineClass(n, use, 0, use.length);
                    }
                    return c;
                }
            }
        };
        return loader.loadClass(name);
    }

    @SuppressWarnings("unchecked")
    private Object call(Class<?> sample, String method) throws Exception {
        Object instance = rewritten(sample).getDeclaredConstructor().newInstance();
        return ((Callable<Object>) instance).call();
    }

    @Test
    void everyThreadConstructorIsReplaced() throws Exception {
        @SuppressWarnings("unchecked")
        List<Thread> threads = (List<Thread>) call(Samples.Constructors.class, "call");
        assertEquals(threads.size(), replaced.size());
        for (int i = 0; i < threads.size(); i++) {
            assertSame(threads.get(i), replaced.get(i));
        }
    }

    @Test
    void eachReplacementNamesItsCallSite() throws Exception {
        call(Samples.Constructors.class, "call");
        String expected = Samples.Constructors.class.getName() + ";call;";
        for (int i = 0; i < sites.size(); i++) {
            String site = sites.get(i);
            assertTrue(site.startsWith(expected) && site.endsWith(";Samples.java"), site);
            int line = Integer.parseInt(site.substring(expected.length(), site.lastIndexOf(';')));
            assertEquals(Samples.CONSTRUCTORS_FIRST_LINE + i, line, site);
        }
    }

    @Test
    void nestedAndConditionalArgumentsKeepTheirOrder() throws Exception {
        @SuppressWarnings("unchecked")
        List<Thread> threads = (List<Thread>) call(Samples.Nested.class, "call");
        assertEquals(3, replaced.size());
        assertTrue(replaced.containsAll(threads));
    }

    @Test
    void threadSubclassesStayPlatformThreadsAndAreListed() throws Exception {
        Object result = call(Samples.Subclassing.class, "call");
        assertTrue(result instanceof Thread);
        assertTrue(replaced.isEmpty(), "a Thread subclass is never replaced");
        Class<?> worker = rewritten(Samples.Worker.class);
        assertFalse(worker == null);
        assertTrue(debug.stream().anyMatch(line -> line.contains(Samples.Worker.class.getName())), debug.toString());
    }

    @Test
    void classesWithoutThreadAreNotTouched() throws Exception {
        NewThreadRewriter rewriter = new NewThreadRewriter(null, null, null, debug::add, t -> { });
        byte[] bytes;
        try (InputStream in = getClass().getResourceAsStream("/gevent4j/patches/Samples$NoThreads.class")) {
            bytes = in.readAllBytes();
        }
        assertFalse(NewThreadRewriter.mentionsThread(bytes));
        assertNull(rewriter.transform(null, getClass().getClassLoader(), "gevent4j/patches/Samples$NoThreads", null, null, bytes));
    }

    @Test
    void bootAndPlatformClassesAreNeverRewritten() throws Exception {
        NewThreadRewriter rewriter = new NewThreadRewriter(null, null, null, debug::add, t -> { });
        byte[] thread;
        try (InputStream in = Object.class.getResourceAsStream("/java/util/concurrent/Executors.class")) {
            thread = in.readAllBytes();
        }
        assertNull(rewriter.transform(null, null, "java/util/concurrent/Executors", null, null, thread));
        assertNull(rewriter.transform(null, ClassLoader.getPlatformClassLoader(), "java/util/concurrent/Executors", null, null, thread));
    }

    /** Unused imports keep javac honest about the hook types referenced in the proxy above. */
    @SuppressWarnings("unused")
    private static final Class<?>[] HOOK_TYPES = {FileDescriptor.class, FileInputStream.class, ThreadFactory.class};
}

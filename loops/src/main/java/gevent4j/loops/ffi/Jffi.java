package gevent4j.loops.ffi;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import gevent4j.hub.Log;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import jnr.ffi.LibraryLoader;

/**
 * Loads native libraries through JNR-FFI without printing anything on the application's stderr.
 *
 * <p>On JDK 24+ two warnings would appear the first time jffi initialises: jffi's
 * {@code sun.misc.Unsafe} memory access (JEP 498) and its restricted {@code System.load} (JEP 472).
 * The first is avoided here with jffi's own non-Unsafe memory mode ({@code jffi.unsafe.disabled}),
 * set only while jffi's {@code MemoryIO} singleton initialises so that an application's own copy
 * of jffi is not affected. The second is avoided by the agent, which defines jffi's packages as a
 * named module of its own class loader with native access enabled (the JDK grants native access
 * to unnamed modules only all together, which would leak into the application).
 */
public final class Jffi {

    private static final String UNSAFE_DISABLED = "jffi.unsafe.disabled";
    private static final Object LOCK = new Object();
    private static boolean prepared;
    @SuppressWarnings("unused") // held so that java.util.logging keeps the configuration
    private static Logger jnrLogger;

    private Jffi() {
    }

    /**
     * Loads {@code spec} eagerly: JNR's loader is lazy by default and would fail only at the first
     * call. Throws with a message that names the library and how to install it.
     */
    public static <T> T load(Class<T> api, NativeLibrarySpec spec) throws NativeLibraryUnavailableException {
        prepare();
        T library;
        try {
            library = LibraryLoader.create(api).failImmediately().load(spec.soname());
        } catch (LinkageError | RuntimeException e) {
            throw new NativeLibraryUnavailableException(spec.soname() + " could not be loaded ("
                + firstLine(e) + "); " + spec.installHint(), e);
        }
        checkSymbols(api, spec);
        return library;
    }

    /**
     * JNR binds missing functions to stubs that throw at the first call; a loop must instead
     * refuse to start (an older library without a function we need is "unavailable", not a crash
     * in the middle of a run).
     */
    private static void checkSymbols(Class<?> api, NativeLibrarySpec spec) throws NativeLibraryUnavailableException {
        com.kenai.jffi.Library handle = com.kenai.jffi.Library.getCachedInstance(spec.soname(),
            com.kenai.jffi.Library.LAZY | com.kenai.jffi.Library.LOCAL);
        if (handle == null) {
            throw new NativeLibraryUnavailableException(spec.soname() + " could not be loaded ("
                + com.kenai.jffi.Library.getLastError() + "); " + spec.installHint());
        }
        List<String> missing = new ArrayList<>();
        for (Method m : api.getMethods()) {
            if (!m.isDefault() && !Modifier.isStatic(m.getModifiers()) && handle.getSymbolAddress(m.getName()) == 0L) {
                missing.add(m.getName());
            }
        }
        if (!missing.isEmpty()) {
            missing.sort(null);
            throw new NativeLibraryUnavailableException(spec.soname() + " lacks " + String.join(", ", missing)
                + " (too old or a different build); " + spec.installHint());
        }
    }

    /** Initialises jffi quietly; idempotent. */
    public static void prepare() {
        synchronized (LOCK) {
            if (prepared) {
                return;
            }
            routeJnrLogging();
            String previous = System.getProperty(UNSAFE_DISABLED);
            System.setProperty(UNSAFE_DISABLED, "true");
            try {
                com.kenai.jffi.MemoryIO.getInstance();
            } finally {
                if (previous == null) {
                    System.clearProperty(UNSAFE_DISABLED);
                } else {
                    System.setProperty(UNSAFE_DISABLED, previous);
                }
            }
            prepared = true;
        }
    }

    /**
     * JNR logs through java.util.logging, straight to the application's console: for example a
     * WARNING on its first callback that its reference finalizer cannot run in a class loader of its
     * own (true in the agent's loader, and harmless). Its records go to gevent4j's log instead:
     * SEVERE as errors, the rest at debug. The logger is held here, or java.util.logging could drop
     * the configuration with the logger.
     */
    private static void routeJnrLogging() {
        Logger logger = Logger.getLogger(LibraryLoader.class.getPackageName());
        logger.setUseParentHandlers(false);
        logger.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                String message = "JNR: " + record.getMessage()
                    + (record.getThrown() == null ? "" : " (" + record.getThrown() + ")");
                if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    Log.error(message);
                } else {
                    Log.debug(message);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
        jnrLogger = logger;
    }

    private static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return e.getClass().getSimpleName() + ": " + (newline < 0 ? message : message.substring(0, newline));
    }
}

package gevent4j.agent;

import gevent4j.bootstrap.Bridge;
import gevent4j.config.Config;
import gevent4j.config.ConfigException;
import gevent4j.config.Settings;
import gevent4j.hub.HubRuntime;
import gevent4j.hub.LoopSelector;
import gevent4j.hub.Log;
import gevent4j.internal.JdkInternals;
import gevent4j.patches.PatchInstaller;
import java.lang.instrument.Instrumentation;
import java.util.List;

/**
 * Starts the agent, in the agent's own class loader. The order matters:
 * <ol>
 *   <li>configuration (invalid input stops the JVM with one line, before anything changes);</li>
 *   <li>JDK internals opened to this module;</li>
 *   <li>the preferred native loop probed on a thread of its own ({@link BesideStartup}) while
 *   the next steps run, when the {@code loop} preference starts with one: loading libev or libuv
 *   and its binding is the largest part of a native loop's start. The probes are once per process,
 *   so the Hub's start below finds them done or waits for them, and chooses, with the same
 *   messages, as it would without it. Where no thread can be started, nothing is probed ahead;</li>
 *   <li>the bridge defined in the boot loader;</li>
 *   <li>the JDK's classes patched, all or nothing, on a thread of their own
 *   ({@link BesideStartup}) while the next steps run: until the Bridge has hooks, patched
 *   methods behave as the JDK's own. The outcome is collected before the Bridge gets its hooks,
 *   so the rule "all patches, or none and one ERROR line" holds; where no thread can be started,
 *   the patches run inline;</li>
 *   <li>the JDK's Poller initialised here, on a platform thread (its static initialiser would
 *   otherwise put the JDK's sub-poller threads on the Hub);</li>
 *   <li>the Hub started; once the patches are in, the Bridge gets its hooks and application
 *   classes loaded from then on have their {@code new Thread} rewritten.</li>
 * </ol>
 * Any failure after step 1 leaves the application running unpatched with one ERROR line.
 */
public final class AgentStarter {

    private AgentStarter() {
    }

    public static void start(String agentArgs, Instrumentation instrumentation) {
        Config config;
        try {
            config = Config.resolve(agentArgs, SystemPropertiesSnapshot.take(), System.getenv());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        // Before anything that logs: the patching thread's debug line must not be lost. (Not
        // through HubRuntime: linking it before the bridge is defined would load the agent's own
        // copy of gevent4j.bootstrap.Hooks.)
        Log.setLevel(Log.Level.valueOf(config.get(Settings.LOG_LEVEL).name()));
        PatchInstaller installer = null;
        BesideStartup patching = null;
        BesideStartup probe = null;
        long t0 = System.nanoTime();
        try {
            ClassLoader loader = AgentStarter.class.getClassLoader();
            ModuleOpener.openTo(instrumentation, AgentStarter.class.getModule());
            // After the modules are opened: the native-access modules need java.lang. Beside the
            // bridge's definition: the probe never reaches the boot packages (the injector checks).
            List<String> loops = config.get(Settings.LOOP);
            if (LoopSelector.probesNativeFirst(loops)) {
                probe = BesideStartup.start("gevent4j-loop-probe", () -> LoopSelector.probeAhead(loops), false);
            }
            Class<?> bridge = BootstrapInjector.inject(loader);
            ModuleOpener.letJavaBaseRead(instrumentation, bridge.getModule());
            installer = new PatchInstaller(instrumentation, loader, bridge.getModule(), Log::debug,
                t -> Log.error("patch failure after start-up", t));
            PatchInstaller patcher = installer;
            patching = BesideStartup.start("gevent4j-patcher", patcher::installJdkPatches, true);
            JdkInternals.ensureAvailable();
            initialiseJdkPoller();

            long t1 = System.nanoTime();
            HubRuntime runtime = HubRuntime.start(config);
            if (probe != null) {
                probe.awaitEnd();
            }
            long t2 = System.nanoTime();
            patching.await();
            long t3 = System.nanoTime();
            config.notices().forEach(Log::info);
            runtime.notes().forEach(Log::info);
            Bridge.install(runtime.hooks());
            installer.rewriteNewThreads();
            System.setProperty("gevent4j.loop", runtime.hub().loopName());
            if (Log.enabled(Log.Level.DEBUG)) {
                // Guarded: String.format would load the locale data even when nothing is printed.
                Log.debug("started: loop " + runtime.hub().describeLoop() + ", resolver " + runtime.resolver()
                    + String.format(" (prepare %.0f ms, hub %.0f ms%s, patches %.0f ms beside them, waited %.0f ms for them)",
                        (t1 - t0) / 1e6, (t2 - t1) / 1e6,
                        probe != null && probe.ranBeside() ? String.format(", loop probed ahead %.0f ms beside them", probe.nanos() / 1e6) : "",
                        patching.nanos() / 1e6, (t3 - t2) / 1e6));
            }
        } catch (ConfigException e) {
            // A setting that parsed but cannot be used here (the loop named cannot load): stop, as
            // for any invalid configuration. The Bridge has no hooks, so the patches change nothing.
            if (patching != null) {
                patching.awaitEnd();
            }
            System.err.println(e.getMessage());
            System.exit(2);
        } catch (Throwable t) {
            Bridge.install(null);
            if (patching != null) {
                patching.awaitEnd();
            }
            if (probe != null) {
                probe.awaitEnd();
            }
            if (installer != null) {
                installer.uninstall();
            }
            Log.error("the agent could not start and the application runs without it: " + t.getMessage(), t);
        }
    }

    /**
     * {@code sun.nio.ch.Poller}'s static initialiser starts the JDK's poller threads with the
     * scheduler of the thread that triggers it. The "system threads" mode keeps them platform
     * threads whatever the user's {@code jdk.pollerMode} would otherwise pick.
     */
    private static void initialiseJdkPoller() throws ClassNotFoundException {
        if (System.getProperty("jdk.pollerMode") == null) {
            System.setProperty("jdk.pollerMode", "1");
        }
        Class.forName("sun.nio.ch.Poller", true, null);
    }

    /** System properties as strings, read once. */
    static final class SystemPropertiesSnapshot {
        private SystemPropertiesSnapshot() {
        }

        static java.util.Map<String, String> take() {
            java.util.Map<String, String> map = new java.util.HashMap<>();
            System.getProperties().forEach((k, v) -> {
                if (k instanceof String key && v instanceof String value) {
                    map.put(key, value);
                }
            });
            return map;
        }
    }
}

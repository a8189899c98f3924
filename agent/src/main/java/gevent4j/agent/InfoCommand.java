package gevent4j.agent;

import gevent4j.config.Config;
import gevent4j.config.ConfigException;
import gevent4j.hub.LoopSelector;
import java.lang.instrument.Instrumentation;
import java.util.List;

/**
 * {@code java -jar gevent4j-agent.jar info [name=value,...]}: every setting with its effective
 * value and source (the same resolution as the agent, so the environment and -D properties count),
 * then the loops, resolvers and child process watching available on this machine.
 */
public final class InfoCommand {

    private InfoCommand() {
    }

    /**
     * @param instrumentation the launcher's (null when the jar was not started with
     *     {@code java -jar}): with it, the JDK internals are opened as the agent opens them, so
     *     that the loops are probed exactly as at start-up
     */
    public static int run(String[] args, Instrumentation instrumentation) {
        if (args.length == 0 || !args[0].equals("info") || args.length > 2) {
            System.err.println("usage: java -jar gevent4j-agent.jar info [name=value,...]");
            System.err.println("  (the agent itself is used as -javaagent:gevent4j-agent.jar[=name=value,...])");
            return 2;
        }
        Config config;
        try {
            config = Config.resolve(args.length == 2 ? args[1] : null,
                AgentStarter.SystemPropertiesSnapshot.take(), System.getenv());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        if (instrumentation != null) {
            // Also lets the agent's loader define the native-access modules once jffi is needed.
            ModuleOpener.openTo(instrumentation, InfoCommand.class.getModule());
        }
        System.out.println("gevent4j " + version() + " on " + System.getProperty("java.vm.name") + " "
            + Runtime.version() + " (" + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ")");
        System.out.println();
        System.out.println("Settings (value, source):");
        config.describe().forEach(line -> System.out.println("  " + line));
        for (String notice : config.notices()) {
            System.out.println("  note: " + notice);
        }
        System.out.println();
        System.out.println("Loops (the first available of the `loop` preference is used):");
        LoopSelector.describeAll().forEach(line -> System.out.println("  " + line));
        LoopSelector.Selection selection = LoopSelector.select(config.get(gevent4j.config.Settings.LOOP));
        System.out.println("  -> would use: " + (selection.chosen() == null ? "none (start-up would fail)" : selection.chosen().name()));
        if (selection.chosen() != null) {
            System.out.println("  native memory (trace_malloc): " + nativeMemoryOfNewLoop(selection.chosen(), config));
        }
        if (selection.chosen() != null && !List.of("libev", "libev-ffm").contains(selection.chosen().name())
                && config.get(gevent4j.config.Settings.LIBEV_BACKEND) != null) {
            System.out.println("  note: libev_backend is set but only the libev loops read it; "
                + selection.chosen().name() + " ignores it");
        }
        System.out.println();
        System.out.println("Resolvers (the first available of the `resolver` preference is used):");
        for (String line : List.of(
                "thread: available (the JDK's system resolver on the threadpool)",
                "dnsjava: available (the bundled dnsjava library; its queries wait on the Hub's loop; alias dnspython)",
                gevent4j.hub.NativeResolvers.describeAres(),
                "block: available (the JDK's system resolver, blocking the Hub)")) {
            System.out.println("  " + line);
        }
        boolean ares = gevent4j.hub.NativeResolvers.aresAvailable();
        String resolver = config.get(gevent4j.config.Settings.RESOLVER).stream()
            .filter(name -> ares || !name.equals("ares")).findFirst()
            .orElse(config.sourceOf(gevent4j.config.Settings.RESOLVER) == gevent4j.config.Source.DEFAULT
                ? "block" : "none (start-up would fail)");
        System.out.println("  -> would use: " + resolver);
        if (resolver.equals("thread") || resolver.equals("block")) {
            for (var ignored : List.of(gevent4j.config.Settings.RESOLVER_NAMESERVERS,
                    gevent4j.config.Settings.RESOLVER_TIMEOUT)) {
                if (config.get(ignored) != null) {
                    System.out.println("  note: " + ignored.name() + " is set but only the dnsjava and ares resolvers "
                        + "read it; " + resolver + " ignores it and uses the operating system's configuration");
                }
            }
        }
        System.out.println();
        System.out.println("Child processes (children that greenlets start):");
        boolean watch = !Boolean.TRUE.equals(config.get(gevent4j.config.Settings.DISABLE_WATCH_CHILDREN));
        System.out.println("  " + gevent4j.hub.ChildWatching.describe());
        System.out.println("  -> would use: " + (watch && gevent4j.hub.ChildWatching.available()
            ? "pidfd (each child's exit is watched by the Hub's loop)"
            : "the JDK's process reaper threads (one per child)"
                + (watch ? "" : ": disable_watch_children is set")));
        return 0;
    }

    /**
     * What a new loop of {@code provider} holds in native memory, and what it still holds after
     * {@code destroy()} (which must be nothing): the figures a running application's
     * {@code GreenletTree.format()} starts from.
     */
    private static String nativeMemoryOfNewLoop(gevent4j.loop.LoopProvider provider, gevent4j.config.Config config) {
        java.util.List<String> backends = config.get(gevent4j.config.Settings.LIBEV_BACKEND);
        gevent4j.loop.Loop loop;
        try {
            loop = provider.create(new gevent4j.loop.LoopOptions(
                backends == null || backends.isEmpty() ? null : String.join(",", backends), false));
        } catch (RuntimeException | LinkageError e) {
            return "cannot create a " + provider.name() + " loop here (" + e.getMessage() + ")";
        }
        String atStart = gevent4j.loop.NativeAllocations.describe().get(0)
            .replace("Native memory of the loop: ", "").replace(" (allocation sites: set trace_malloc)", "");
        loop.destroy();
        String afterDestroy = gevent4j.loop.NativeAllocations.describe().get(0)
            .replace("Native memory of the loop: ", "").replace(" (allocation sites: set trace_malloc)", "");
        return "a new " + provider.name() + " loop holds " + atStart + "; after destroy " + afterDestroy
            + " (a running application's is in gevent4j.GreenletTree.format())";
    }

    private static String version() {
        String v = InfoCommand.class.getPackage() == null ? null : InfoCommand.class.getPackage().getImplementationVersion();
        return v == null ? "(development build)" : v;
    }
}

package gevent4j.hub;

import gevent4j.bootstrap.Hooks;
import gevent4j.config.Config;
import gevent4j.config.ConfigException;
import gevent4j.config.Source;
import gevent4j.config.Settings;
import gevent4j.events.Events;
import gevent4j.events.HubStarted;
import gevent4j.events.LoopChosen;
import gevent4j.events.Subscriber;
import gevent4j.loop.LoopOptions;
import gevent4j.loop.NativeAllocations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.Executor;

/**
 * Assembles the runtime from the configuration: the loop chosen along the preference list, the
 * Hub on its thread, the threadpool, greenlet creation, file reads, the resolver and child
 * process watching.
 */
public final class HubRuntime {

    private final Hub hub;
    private final Greenlets greenlets;
    private final Hooks hooks;
    private final List<String> notes;
    private final String resolver;

    private HubRuntime(Hub hub, Greenlets greenlets, Hooks hooks, List<String> notes, String resolver) {
        this.hub = hub;
        this.greenlets = greenlets;
        this.hooks = hooks;
        this.notes = notes;
        this.resolver = resolver;
    }

    /**
     * Starts the Hub.
     *
     * @throws IllegalStateException when no loop of the preference list can run here; the message
     *     lists each loop with the reason it was skipped
     */
    public static HubRuntime start(Config config) throws ConfigException {
        Log.setLevel(Log.Level.valueOf(config.get(Settings.LOG_LEVEL).name()));
        List<String> notes = new ArrayList<>();
        LoopSelector.Selection selection = LoopSelector.select(config.get(Settings.LOOP));
        if (selection.chosen() == null) {
            String why = String.join("; ", selection.skipped());
            if (config.sourceOf(Settings.LOOP) != Source.DEFAULT) {
                // Named by the operator: running on something else would hide their mistake.
                throw ConfigException.unusable(config, Settings.LOOP, why);
            }
            throw new IllegalStateException("no loop of " + String.join(",", config.get(Settings.LOOP))
                + " can run here: " + why);
        }
        if (!selection.skipped().isEmpty()) {
            // One line, whatever the number of loops skipped.
            notes.add("loop " + String.join("; ", selection.skipped()) + "; using " + selection.chosen().name());
        }
        NativeAllocations.setTraceFrames(Boolean.TRUE.equals(config.get(Settings.TRACE_MALLOC)) ? TRACE_FRAMES : 0);
        loadSubscribers(notes);
        boolean watchChildren = !Boolean.TRUE.equals(config.get(Settings.DISABLE_WATCH_CHILDREN));
        Hub hub;
        try {
            hub = Hub.start(selection.chosen(), new LoopOptions(backend(config), watchChildren));
        } catch (IllegalArgumentException e) {
            // The loop's message may repeat "libev_backend=<value>: ", which the line already says.
            String reason = String.valueOf(e.getMessage()).replaceFirst("^libev_backend=[^:]*: ", "");
            throw ConfigException.unusable(config, Settings.LIBEV_BACKEND, reason);
        }
        Events.publish(new LoopChosen(hub.loopName(), hub.describeLoop(), selection.skipped()));
        Events.publish(new HubStarted(hub.thread(), hub.loopName()));
        Executor pool = threadpool(config, notes);
        Greenlets greenlets = new Greenlets(hub);
        Resolvers resolvers = new Resolvers(hub, pool, config.get(Settings.RESOLVER),
            config.get(Settings.RESOLVER_NAMESERVERS), config.get(Settings.RESOLVER_TIMEOUT));
        if (resolvers.chosen() == null) {
            String why = String.join("; ", resolvers.skipped());
            if (config.sourceOf(Settings.RESOLVER) != Source.DEFAULT) {
                // Named by the operator (say resolver=ares without c-ares): stop, as for the loop.
                throw ConfigException.unusable(config, Settings.RESOLVER, why);
            }
            resolvers = new Resolvers(hub, pool, List.of("block"), null, null);
            notes.add("resolver " + why + "; using block");
        } else {
            for (String skipped : resolvers.skipped()) {
                notes.add("resolver " + skipped + "; using " + resolvers.chosen());
            }
        }
        FileReads fileReads = new FileReads(hub, pool, config.get(Settings.FILEOBJECT));
        FileWrites fileWrites = new FileWrites(hub, pool, config.get(Settings.FILEOBJECT));
        Diagnostics diagnostics = new Diagnostics(hub, config.get(Settings.TRACK_GREENLET_TREE),
            ContextFormatter.resolve(config.get(Settings.FORMAT_CONTEXT), notes), monitor(config, hub, notes));
        Hooks hooks = new RuntimeHooks(hub, greenlets, fileReads, fileWrites, resolvers,
            new ChildWatching(hub, watchChildren, pool), diagnostics);
        return new HubRuntime(hub, greenlets, hooks, List.copyOf(notes), resolvers.chosen());
    }

    /** Frames recorded per native allocation with {@code trace_malloc}. */
    private static final int TRACE_FRAMES = 8;

    /** {@code Subscriber}s listed by the application in {@code META-INF/services}. */
    private static void loadSubscribers(List<String> notes) {
        try {
            for (ServiceLoader.Provider<Subscriber> p
                    : ServiceLoader.load(Subscriber.class, ClassLoader.getSystemClassLoader()).stream().toList()) {
                try {
                    Events.subscribe(p.get());
                } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                    Log.error("event subscriber " + p.type().getName() + " cannot be created (" + e + "); skipped");
                }
            }
        } catch (ServiceConfigurationError e) {
            Log.error("event subscribers of META-INF/services/" + Subscriber.class.getName() + " cannot be loaded ("
                + e.getMessage() + "); skipped");
        }
    }

    private static HubMonitor monitor(Config config, Hub hub, List<String> notes) {
        Long maxMemory = config.get(Settings.MAX_MEMORY_USAGE);
        if (!Boolean.TRUE.equals(config.get(Settings.MONITOR_THREAD))) {
            if (maxMemory != null) {
                notes.add("max_memory_usage has no effect while monitor_thread is off");
            }
            return null;
        }
        MemoryReader memory = new MemoryReader();
        if (maxMemory != null && !memory.available()) {
            notes.add("max_memory_usage: the process's RSS cannot be read here (no /proc/self/status); memory is not watched");
            maxMemory = null;
        }
        Duration period = config.get(Settings.MEMORY_MONITOR_PERIOD);
        if (maxMemory != null && period.compareTo(HubMonitor.MIN_MEMORY_PERIOD) < 0) {
            notes.add("memory_monitor_period " + period.toMillis() + " ms is below the floor; using "
                + HubMonitor.MIN_MEMORY_PERIOD.toMillis() + " ms");
        }
        HubMonitor monitor = new HubMonitor(hub, config.get(Settings.MAX_BLOCKING_TIME), maxMemory, period, memory);
        monitor.start();
        return monitor;
    }

    private static String backend(Config config) {
        List<String> backends = config.get(Settings.LIBEV_BACKEND);
        return backends == null || backends.isEmpty() ? null : String.join(",", backends);
    }

    private static Executor threadpool(Config config, List<String> notes) {
        for (String name : config.get(Settings.THREADPOOL)) {
            if (name.equals("default")) {
                Duration idle = config.get(Settings.THREADPOOL_IDLE_TASK_TIMEOUT);
                return new ThreadPool(config.get(Settings.THREADPOOL_MAXSIZE), idle);
            }
            try {
                Class<?> type = Class.forName(name, true, ClassLoader.getSystemClassLoader());
                return (Executor) type.getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
                notes.add("threadpool " + name + ": cannot be used (" + e + ")");
            }
        }
        notes.add("threadpool: no entry usable; using default");
        return new ThreadPool(config.get(Settings.THREADPOOL_MAXSIZE), config.get(Settings.THREADPOOL_IDLE_TASK_TIMEOUT));
    }

    public Hub hub() {
        return hub;
    }

    public Greenlets greenlets() {
        return greenlets;
    }

    public Hooks hooks() {
        return hooks;
    }

    /** Informational lines: loops and resolvers skipped along the preference lists. */
    public List<String> notes() {
        return notes;
    }

    public String resolver() {
        return resolver;
    }
}

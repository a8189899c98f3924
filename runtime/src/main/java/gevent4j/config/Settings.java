package gevent4j.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry: every gevent4j setting, declared once (STYLE rule 13, after gevent's {@code _config.py}).
 *
 * <p>Names follow gevent's configuration page. The environment variable is derived as
 * {@code GEVENT_<NAME>} unless {@code .env(...)} overrides it, and every override says why. The system
 * property is always {@code gevent.<name>}; the agent argument is always {@code <name>}.
 * {@code docs/configuration.md} is generated from these declarations by {@link ConfigurationDoc}.
 *
 * <p>Constants are declared alphabetically, except that the deprecated {@code ares_*} aliases come last:
 * they refer to the settings they alias, which must be initialized first. {@link #all()} is alphabetical.
 */
public final class Settings {
    private static final String V0_1 = "0.1";


    /**
     * The default {@code loop} preference list: gevent's preference for libev, then libuv, with the embedded
     * {@code jdk} loop, which needs no native library, as the last resort.
     */
    public static final List<String> DEFAULT_LOOP = List.of("libev", "libuv", "jdk");

    /** {@code disable_watch_children}: whether child processes are left to the JDK's reaper threads alone. */
    public static final Setting<Boolean> DISABLE_WATCH_CHILDREN = Setting.builder("disable_watch_children",
                    BooleanKind.STRICT)
            // gevent's historical key: the setting stops gevent's loop from reaping children with waitpid().
            .env("GEVENT_NOWAITPID")
            .defaultValue(false)
            .description("""
                    Should we *not* watch child processes with the event loop's child watchers?
                    This is an advanced setting. With child watching on, each child process that a greenlet \
                    starts (`ProcessBuilder.start`, `Runtime.exec`) is watched by the Hub's loop through a process \
                    descriptor (`pidfd_open`, Linux 5.3+) instead of by an OS thread of the JDK's ("process \
                    reaper") per child. The JDK's own code still reaps the child once it has exited, so \
                    `waitFor`, `exitValue` and `onExit` answer exactly as without the agent, and gevent4j never \
                    reaps any process itself. Where process descriptors are not available, children get the \
                    JDK's reaper threads as without the agent; setting this does the same everywhere.""")
            .since(V0_1)
            .build();

    /** {@code fileobject}: how blocking file I/O is performed, as a preference list. */
    public static final Setting<List<String>> FILEOBJECT = Setting.builder("fileobject",
                    new ImportableListKind("file object", List.of("posix", "thread", "block"),
                            "a fully-qualified class name"))
            // gevent's key is the shorter GEVENT_FILE, not GEVENT_FILEOBJECT.
            .env("GEVENT_FILE")
            .defaultValue(List.of("posix", "thread"))
            .description("""
                    How blocking file I/O is performed, as a preference list.
                    `posix` uses non-blocking descriptors driven by the event loop; `thread` runs blocking reads \
                    and writes on the native thread pool (see `threadpool`); `block` runs them on the Hub, \
                    blocking every greenlet while they wait.""")
            .since(V0_1)
            .build();

    /** {@code format_context}: how the Hub turns objects into text when it reports an error's context. */
    public static final Setting<List<String>> FORMAT_CONTEXT = Setting.builder("format_context",
                    new ImportableListKind("formatter", List.of("safe"), "a fully-qualified class name"))
            .defaultValue(List.of("safe"))
            .description("""
                    How the Hub turns objects into text when it reports an error's context.
                    `safe` is a built-in `toString()` that never throws and is cut to 120 characters, like \
                    gevent's default `pprint.saferepr`. A class name names a replacement: a public class with a \
                    public no-argument constructor that implements `java.util.function.Function<Object, String>`, \
                    loaded from the application's class path. It renders the values of the greenlet tree dump \
                    (`gevent4j.GreenletTree`); when it throws, `safe` renders the value.""")
            .since(V0_1)
            .build();

    /** {@code libev_backend}: the libev backend(s) to use; no default (libev chooses). */
    public static final Setting<List<String>> LIBEV_BACKEND = Setting.builder("libev_backend",
                    new ChoiceListKind("libev backend",
                            List.of("select", "poll", "epoll", "kqueue", "devpoll", "port", "linuxaio", "io_uring"),
                            Map.of("iouring", "io_uring")))
            // gevent's key predates libuv support, when libev was the only loop with backends.
            .env("GEVENT_BACKEND")
            .description("""
                    The libev backend to use, such as `select`, or a list of backends libev may choose from.
                    When unset, libev picks the best backend available on the platform. The names are those \
                    of libev's `EVBACKEND_*` flags; `iouring` is accepted for `io_uring`. Only the libev loops \
                    (`libev`, `libev-ffm`) read this setting (`info` says so when another loop runs). A backend this libev build or \
                    kernel cannot run stops start-up with a line listing those it can; `io_uring` is refused \
                    with libev 4.33, whose io_uring backend aborts the process when it re-registers a \
                    descriptor after its submission ring wrapped (see docs/loops.md).""")
            .since(V0_1)
            .build();

    /** {@code log_level}: the verbosity of gevent4j's own messages. */
    public static final Setting<LogLevel> LOG_LEVEL = Setting.builder("log_level", new ChoiceKind<>(LogLevel.class))
            .defaultValue(LogLevel.WARN)
            .description("""
                    The verbosity of gevent4j's own messages on standard error.
                    This is a gevent4j extension; gevent relies on Python's `logging` configuration instead. \
                    `error` prints only failures, `warn` also prints problems gevent4j worked around, `info` \
                    adds startup information such as the chosen loop, and `debug` adds detail useful when \
                    reporting a bug.""")
            .since(V0_1)
            .gevent4jExtension()
            .build();

    /**
     * {@code loop}: the event loop implementations to try, in order. Normalized to the shorthands {@code jdk},
     * {@code libev}, {@code libuv}, {@code libev-ffm}, {@code libuv-ffm}, or class names.
     */
    public static final Setting<List<String>> LOOP = Setting.builder("loop",
                    new ImportableListKind("loop", List.of("jdk", "libev", "libuv", "libev-ffm", "libuv-ffm"),
                            orderedMap("libev-cext", "libev", "libev-cffi", "libev", "libuv-cffi", "libuv"),
                            "a class name implementing gevent4j.loop.LoopProvider"))
            .defaultValue(DEFAULT_LOOP)
            .description("""
                    The event loop the Hub runs, as a preference list whose first available entry wins.
                    `jdk` is gevent4j's embedded loop on the JDK's own epoll natives and needs no native library; `libev` and \
                    `libuv` are the native libraries gevent uses (`libev.so.4`, `libuv.so.1`, loaded through \
                    JNR-FFI; Debian packages `libev4` and `libuv1`). `libev-ffm` and `libuv-ffm` are the same \
                    loops bound through the JDK's java.lang.foreign instead of JNR-FFI (cheaper per event; not in \
                    the default list). gevent's names `libev-cext`, `libev-cffi` \
                    and `libuv-cffi` are accepted and normalized to `libev` and `libuv`. A class name must \
                    name a public class implementing `gevent4j.loop.LoopProvider` with a public no-argument \
                    constructor; the Hub checks that when it starts. A loop whose library is missing is skipped \
                    (said at `log_level=info` and by `info`); when no loop of a list given explicitly can run, \
                    start-up stops with one line naming the library and how to install it.""")
            .since(V0_1)
            .build();

    /** {@code max_blocking_time}: how long the Hub may be blocked before the monitor thread reports it. */
    public static final Setting<Duration> MAX_BLOCKING_TIME = Setting.builder("max_blocking_time",
                    DurationKind.POSITIVE)
            .defaultValue(Duration.ofMillis(100))
            .description("""
                    How long the Hub may be blocked before the monitor thread reports it, if `monitor_thread` \
                    is enabled.
                    A greenlet that runs without yielding, or a call that blocks the Hub's carrier thread, for \
                    longer than this is reported with stack traces on standard error.""")
            .since(V0_1)
            .build();

    /** {@code max_memory_usage}: the memory use, in bytes, above which the monitor reports; no default. */
    public static final Setting<Long> MAX_MEMORY_USAGE = Setting.builder("max_memory_usage", ByteSizeKind.POSITIVE)
            // gevent's key groups the memory settings under GEVENT_MONITOR_MEMORY_*.
            .env("GEVENT_MONITOR_MEMORY_MAX")
            .description("""
                    The memory usage above which the monitor thread reports, if `monitor_thread` is enabled.
                    There is no default value for this setting. If you wish to cap memory usage, you must \
                    choose a value.
                    Memory usage is the process's resident set size (RSS, `VmRSS` of `/proc/self/status`): heap, \
                    thread stacks, metaspace, direct buffers and the native loops together, what a container's \
                    memory limit counts. Crossing it upwards publishes `MemoryUsageThresholdExceeded` once (and a \
                    JFR event); falling back under publishes `MemoryUsageUnderThreshold`.""")
            .since(V0_1)
            .build();

    /** {@code memory_monitor_period}: how often the monitor thread checks memory usage. */
    public static final Setting<Duration> MEMORY_MONITOR_PERIOD = Setting.builder("memory_monitor_period",
                    DurationKind.POSITIVE)
            // gevent's key groups the memory settings under GEVENT_MONITOR_MEMORY_*.
            .env("GEVENT_MONITOR_MEMORY_PERIOD")
            .defaultValue(Duration.ofSeconds(5))
            .description("""
                    How long the monitor thread waits between checks of memory usage, if `monitor_thread` is \
                    enabled.
                    Checking memory usage is relatively expensive on some operating systems, so this should \
                    not be too low; as in gevent, the monitor places a floor of 2 seconds under it.""")
            .since(V0_1)
            .build();

    /** {@code monitor_thread}: whether each Hub starts a native thread that watches it for problems. */
    public static final Setting<Boolean> MONITOR_THREAD = Setting.builder("monitor_thread", BooleanKind.STRICT)
            // gevent's key says what the boolean does: GEVENT_MONITOR_THREAD_ENABLE.
            .env("GEVENT_MONITOR_THREAD_ENABLE")
            .defaultValue(false)
            .description("""
                    Should each Hub start a native thread that watches it for problems?
                    The thread periodically checks whether the event loop has been blocked for longer than \
                    `max_blocking_time` and whether memory use exceeds `max_memory_usage`, and reports on \
                    standard error. A blocked Hub is reported once per episode with the blocking greenlet's stack, \
                    as an `EventLoopBlocked` event and as a `gevent4j.EventLoopBlocked` JFR event. Code can add \
                    its own periodic checks with `gevent4j.Monitor.addPeriodicFunction`.""")
            .since(V0_1)
            .build();

    /** {@code resolver}: the DNS resolvers to try, in order. */
    public static final Setting<List<String>> RESOLVER = Setting.builder("resolver",
                    new ImportableListKind("resolver", List.of("thread", "block", "dnsjava", "ares"),
                            Map.of("dnspython", "dnsjava"), "a fully-qualified class name"))
            .defaultValue(List.of("thread", "dnsjava", "ares", "block"))
            .description("""
                    The DNS resolver used for name lookups made by greenlets, as a preference list.
                    `thread` runs the JDK's blocking lookups on the native thread pool so that they do not \
                    block the Hub; `block` runs them directly on the Hub, blocking every greenlet while they \
                    wait; `dnsjava` (gevent's `dnspython`, accepted as an alias) and `ares` are asynchronous \
                    resolvers whose queries wait on the Hub's loop. `dnsjava` reads `/etc/resolv.conf` and \
                    `/etc/hosts` like the system resolver (see docs/resolvers.md for the differences). `ares` \
                    needs c-ares (`libcares.so.2`) and is skipped, with the reason, where it cannot be \
                    loaded; the default resolves to `thread`.""")
            .since(V0_1)
            .build();

    /** {@code resolver_nameservers}: nameserver addresses for the dnsjava and ares resolvers; no default. */
    public static final Setting<List<String>> RESOLVER_NAMESERVERS = Setting.builder("resolver_nameservers",
                    NameserverListKind.INSTANCE)
            .description("""
                    The IP addresses of the nameservers used by the non-system resolvers, `dnsjava` and `ares`.
                    The `thread` and `block` resolvers ignore this setting and use the operating system's \
                    configuration. When unset, `dnsjava` and `ares` read nameservers from the system \
                    configuration (`/etc/resolv.conf` on Unix); when set, only the nameservers are replaced \
                    and the search list and options of `/etc/resolv.conf` still apply. Unlike gevent with dnspython, gevent4j \
                    validates every entry, so a hostname is an error rather than a hang.""")
            .since(V0_1)
            .build();

    /** {@code resolver_timeout}: the total time the resolver may spend on one query; no default. */
    public static final Setting<Duration> RESOLVER_TIMEOUT = Setting.builder("resolver_timeout", DurationKind.POSITIVE)
            .description("""
                    The total time the DNS resolver may spend making queries for one lookup.
                    Only the `dnsjava` and `ares` resolvers support this; when unset they use their own \
                    defaults (for `dnsjava`, `/etc/resolv.conf`'s `timeout` per query and `attempts` per \
                    nameserver). When it expires the lookup fails with an `UnknownHostException` saying \
                    that it timed out.""")
            .since(V0_1)
            .build();

    /** {@code threadpool}: the native-thread pool for work that must block. */
    public static final Setting<List<String>> THREADPOOL = Setting.builder("threadpool",
                    new ImportableListKind("threadpool", List.of("default"),
                            "the name of a class implementing java.util.concurrent.Executor with a public no-arg "
                                    + "constructor"))
            .defaultValue(List.of("default"))
            .description("""
                    The native-thread pool used for work that must block, such as the `thread` resolver.
                    `default` is gevent4j's own pool, sized by `threadpool_maxsize` and trimmed by \
                    `threadpool_idle_task_timeout`. A class name must name a public class implementing \
                    `java.util.concurrent.Executor` with a public no-argument constructor; the two sizing \
                    settings apply only to `default`.""")
            .since(V0_1)
            .build();

    /**
     * {@code threadpool_idle_task_timeout}: how long an idle thread of the default pool lives. A negative
     * {@link Duration} ({@link DurationKind#NO_TIMEOUT}, from {@code -1}) means no timeout; never empty.
     */
    public static final Setting<Duration> THREADPOOL_IDLE_TASK_TIMEOUT = Setting.builder(
                    "threadpool_idle_task_timeout", DurationKind.NON_NEGATIVE_OR_NO_TIMEOUT)
            .defaultValue(Duration.ofSeconds(5))
            .description("""
                    How long a thread in the default threadpool may stay idle before it exits.
                    Use `-1` for no timeout: idle threads then live until the JVM exits. `0` lets a thread \
                    exit as soon as it finds no work. In Java the value is a `java.time.Duration`, and no \
                    timeout is a negative duration (`DurationKind.NO_TIMEOUT`).""")
            .since(V0_1)
            .build();

    /** {@code threadpool_maxsize}: the most native threads the default pool runs at once. */
    public static final Setting<Integer> THREADPOOL_MAXSIZE = Setting.builder("threadpool_maxsize",
                    // 32768 is Linux's default pid_max: no machine runs more threads than that for one pool.
                    new IntRangeKind(1, 32768))
            .defaultValue(256)
            .description("""
                    The largest number of native threads the default threadpool runs at once.
                    This is a gevent4j extension; gevent has `ThreadPool.maxsize` only as an argument in code. \
                    It applies only to the `default` threadpool.""")
            .since(V0_1)
            .gevent4jExtension()
            .build();

    /** {@code trace_malloc}: whether native (FFI) objects record where they were allocated. */
    public static final Setting<Boolean> TRACE_MALLOC = Setting.builder("trace_malloc", BooleanKind.OR_FRAME_COUNT)
            // gevent reads only Python's own PYTHONTRACEMALLOC. A JVM has no business owning a Python variable, so
            // gevent4j's key follows the GEVENT_<NAME> pattern, and PYTHONTRACEMALLOC is still read (when
            // GEVENT_TRACE_MALLOC is unset) so that environments prepared for gevent behave the same.
            .envAlias("PYTHONTRACEMALLOC")
            .defaultValue(false)
            .description("""
                    Should native (FFI) objects record where they were allocated?
                    This is only useful for low-level debugging of the native loops. The native memory of the loops \
                    (watchers, handles, poll arrays) is always counted per kind; with this setting on, each live \
                    block also records 8 frames of where it was allocated, and `gevent4j.GreenletTree.format()` \
                    lists the sites that hold the most. As in gevent, Python's \
                    `PYTHONTRACEMALLOC` is also read, after `GEVENT_TRACE_MALLOC`; since Python defines it as \
                    a frame count, a number is accepted too: `0` is false and anything larger is true.""")
            .since(V0_1)
            .build();

    /** {@code track_greenlet_tree}: whether greenlets record which greenlet spawned them. */
    public static final Setting<Boolean> TRACK_GREENLET_TREE = Setting.builder("track_greenlet_tree",
                    BooleanKind.STRICT)
            .defaultValue(true)
            .description("""
                    Should greenlets record which greenlet spawned them?
                    Setting this to false makes spawning greenlets slightly cheaper and saves memory, but the \
                    spawning greenlet, the spawn-tree locals and the spawning stack are then not captured.""")
            .since(V0_1)
            .build();

    /** {@code ares_servers}: deprecated alias of {@link #RESOLVER_NAMESERVERS}; {@link Config} copies it there. */
    public static final Setting<List<String>> ARES_SERVERS = Setting.builder("ares_servers",
                    NameserverListKind.INSTANCE)
            // No underscore after GEVENT: gevent kept the GEVENTARES_* keys of its original c-ares resolver.
            .env("GEVENTARES_SERVERS")
            .description("""
                    Deprecated alias of `resolver_nameservers`, kept for gevent compatibility.
                    Deprecated since gevent 1.3a2. When it is set, its value is used for \
                    `resolver_nameservers` and a notice asks you to switch. Setting both is an error (in \
                    gevent the result was undefined).""")
            .since(V0_1)
            .deprecatedAliasOf(RESOLVER_NAMESERVERS)
            .build();

    /** {@code ares_timeout}: deprecated alias of {@link #RESOLVER_TIMEOUT}; {@link Config} copies it there. */
    public static final Setting<Duration> ARES_TIMEOUT = Setting.builder("ares_timeout", DurationKind.POSITIVE)
            // No underscore after GEVENT: gevent kept the GEVENTARES_* keys of its original c-ares resolver.
            .env("GEVENTARES_TIMEOUT")
            .description("""
                    Deprecated alias of `resolver_timeout`, kept for gevent compatibility.
                    Deprecated since gevent 1.3a2. When it is set, its value is used for `resolver_timeout` \
                    and a notice asks you to switch. Setting both is an error (in gevent the result was \
                    undefined).""")
            .since(V0_1)
            .deprecatedAliasOf(RESOLVER_TIMEOUT)
            .build();

    /** Alphabetical, like gevent's configuration page. */
    private static final List<Setting<?>> ALL = List.of(
            ARES_SERVERS, ARES_TIMEOUT, DISABLE_WATCH_CHILDREN, FILEOBJECT, FORMAT_CONTEXT, LIBEV_BACKEND, LOG_LEVEL,
            LOOP, MAX_BLOCKING_TIME, MAX_MEMORY_USAGE, MEMORY_MONITOR_PERIOD, MONITOR_THREAD, RESOLVER,
            RESOLVER_NAMESERVERS, RESOLVER_TIMEOUT, THREADPOOL, THREADPOOL_IDLE_TASK_TIMEOUT, THREADPOOL_MAXSIZE,
            TRACE_MALLOC, TRACK_GREENLET_TREE);

    private static final Map<String, Setting<?>> BY_NAME = byName();

    private Settings() {
    }

    /** Every setting, in doc order (alphabetical by name). */
    public static List<Setting<?>> all() {
        return ALL;
    }

    /** The setting with exactly this name, if any. */
    public static Optional<Setting<?>> named(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    private static Map<String, Setting<?>> byName() {
        Map<String, Setting<?>> byName = new HashMap<>();
        for (Setting<?> setting : ALL) {
            if (byName.put(setting.name(), setting) != null) {
                throw new ExceptionInInitializerError("duplicate setting " + setting.name());
            }
        }
        return Map.copyOf(byName);
    }

    /** Map.of does not keep order; alias lists appear in messages and docs, so keep declaration order. */
    private static Map<String, String> orderedMap(String... aliasThenTarget) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < aliasThenTarget.length; i += 2) {
            map.put(aliasThenTarget[i], aliasThenTarget[i + 1]);
        }
        return map;
    }
}

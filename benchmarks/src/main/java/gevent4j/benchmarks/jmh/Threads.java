package gevent4j.benchmarks.jmh;

/**
 * How the benchmarks make their threads, chosen per forked JVM by the system property
 * {@code bench.threads}.
 *
 * <ul>
 *   <li>{@code new} (the default): {@code new Thread(...)}, exactly as an unmodified application
 *       writes it. Without the agent that is a platform thread; under
 *       {@code -javaagent:gevent4j-agent.jar} the agent rewrites this very call site, so the same
 *       bytecode makes a greenlet on the Hub.</li>
 *   <li>{@code virtual}: {@code Thread.ofVirtual()}, for stock Loom runs without the agent
 *       (with {@code -Djdk.virtualThreadScheduler.parallelism=1}, so one carrier like the Hub).</li>
 * </ul>
 *
 * <p>This class deliberately does not know about gevent4j: it is "application code".
 */
final class Threads {

    static final String MODE = System.getProperty("bench.threads", "new");
    static final boolean VIRTUAL;

    static {
        switch (MODE) {
            case "new" -> VIRTUAL = false;
            case "virtual" -> VIRTUAL = true;
            default -> throw new IllegalArgumentException("bench.threads must be 'new' or 'virtual', got '" + MODE + "'");
        }
    }

    private Threads() {
    }

    /** An unstarted thread running {@code task}: {@code new Thread(task)} or an unnamed virtual thread. */
    static Thread unstarted(Runnable task) {
        if (VIRTUAL) {
            return Thread.ofVirtual().unstarted(task);
        }
        return new Thread(task);
    }

    /** A long-lived helper thread of a benchmark; daemon so that a failed tear-down cannot keep the fork alive. */
    static Thread helper(Runnable task, String name) {
        if (VIRTUAL) {
            return Thread.ofVirtual().name(name).unstarted(task);
        }
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}

package gevent4j.agent;

import java.lang.instrument.Instrumentation;

/**
 * The {@code Premain-Class} and {@code Main-Class} of {@code gevent4j-agent.jar}.
 *
 * <p>This class is loaded by the application's class loader (a -javaagent jar is on the class
 * path), so it does as little as possible: no logging, no dependency, and no static state except
 * the launcher's {@link Instrumentation} for {@code info}. It creates
 * the {@link AgentClassLoader}, which sees the rest of the agent under {@code inst/}, and hands
 * over to {@code AgentStarter} by name.
 */
public final class Gevent4jAgent {

    private Gevent4jAgent() {
    }

    /** Greenlets need JDK 25's virtual threads (monitors that unmount, the scheduler hooks used). */
    private static final int REQUIRED_JAVA = 25;

    public static void premain(String agentArgs, Instrumentation instrumentation) {
        int feature = Runtime.version().version().get(0);
        if (feature < REQUIRED_JAVA) {
            System.err.println("gevent4j: ERROR the agent needs Java " + REQUIRED_JAVA + " or newer and this is Java "
                + feature + "; the application runs without it");
            return;
        }
        try {
            ClassLoader loader = AgentClassLoader.forAgentJar();
            loader.loadClass("gevent4j.agent.AgentStarter")
                .getMethod("start", String.class, Instrumentation.class)
                .invoke(null, agentArgs, instrumentation);
        } catch (Throwable t) {
            // Too early for any logging: one line, and the application runs without the agent.
            Throwable cause = t instanceof java.lang.reflect.InvocationTargetException ? t.getCause() : t;
            System.err.println("gevent4j: ERROR the agent could not start and the application runs without it: " + cause);
        }
    }

    /**
     * Set by {@link #agentmain} when the jar is run with {@code java -jar} (its
     * {@code Launcher-Agent-Class}); never when it is a {@code -javaagent}.
     */
    private static volatile Instrumentation launcherInstrumentation;

    /** The {@code Launcher-Agent-Class} entry point: starts nothing, keeps the Instrumentation for {@link #main}. */
    public static void agentmain(String agentArgs, Instrumentation instrumentation) {
        launcherInstrumentation = instrumentation;
    }

    /** {@code java -jar gevent4j-agent.jar info [name=value,...]}. */
    public static void main(String[] args) throws Throwable {
        if (Runtime.version().version().get(0) < REQUIRED_JAVA) {
            System.err.println("gevent4j: needs Java " + REQUIRED_JAVA + " or newer; this is Java " + Runtime.version());
            System.exit(2);
        }
        ClassLoader loader = AgentClassLoader.forAgentJar();
        Object status;
        try {
            status = loader.loadClass("gevent4j.agent.InfoCommand")
                .getMethod("run", String[].class, Instrumentation.class)
                .invoke(null, args, launcherInstrumentation);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
        System.exit((Integer) status);
    }
}

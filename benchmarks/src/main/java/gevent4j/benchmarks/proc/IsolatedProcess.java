package gevent4j.benchmarks.proc;

import java.util.List;

/**
 * How the harness starts a process it measures: standard error goes to the harness's own, and the
 * environment carries no JVM options ({@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS},
 * {@code _JAVA_OPTIONS}), so that every JVM runs with exactly the flags the harness wrote on its
 * command line, whatever the shell that started the harness exported (an agent in
 * {@code JAVA_TOOL_OPTIONS} would otherwise turn the "platform" contender into a gevent4j one).
 */
public final class IsolatedProcess {

    private IsolatedProcess() {
    }

    /** A builder for {@code command}; the caller may still redirect its output. */
    public static ProcessBuilder builder(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("JDK_JAVA_OPTIONS");
        builder.environment().remove("_JAVA_OPTIONS");
        return builder;
    }
}

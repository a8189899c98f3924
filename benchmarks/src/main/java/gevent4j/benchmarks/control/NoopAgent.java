package gevent4j.benchmarks.control;

import java.lang.instrument.Instrumentation;

/**
 * A {@code -javaagent} that does nothing: the control for "what does merely having a Java agent
 * cost?". {@code target/benchmarks.jar} names it as its {@code Premain-Class}, so
 * {@code -javaagent:benchmarks.jar} loads the JDK's {@code instrument} JVMTI agent and nothing
 * else. On JDK 25 that alone makes every virtual-thread mount and unmount do JVMTI transition
 * bookkeeping, for stock Loom exactly as for gevent4j (see docs/performance.md).
 */
public final class NoopAgent {

    private NoopAgent() {
    }

    public static void premain(String args, Instrumentation instrumentation) {
        // deliberately empty
    }
}

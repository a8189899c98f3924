package gevent4j.agent;

import java.lang.instrument.Instrumentation;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Opens the JDK internals the runtime needs to the agent's own (unnamed) module only, at run time:
 * the user passes no {@code --add-opens}, and the application gains no access it did not have.
 */
final class ModuleOpener {

    /** Packages of java.base the runtime reads or calls into, each for a reason. */
    private static final Set<String> OPENED = Set.of(
        "java.lang",            // VirtualThread scheduler field, Thread.currentCarrierThread, the virtual thread builder
        "java.io",              // FileDescriptor.fd, FileInputStream.isRegularFile
        "sun.nio.ch",           // EPoll and EventFD natives (jdk loop), Net.poll, IOUtil.newFD
        "sun.nio.fs",           // UnixFileAttributes.get(fd): fstat for the fileobject setting
        "jdk.internal.misc");   // Unsafe.defineClass for the bootstrap bridge

    private ModuleOpener() {
    }

    static void openTo(Instrumentation instrumentation, Module agentModule) {
        Module base = Object.class.getModule();
        Map<String, Set<Module>> opens = new HashMap<>();
        for (String pkg : OPENED) {
            opens.put(pkg, Set.of(agentModule));
        }
        instrumentation.redefineModule(base, Set.of(), opens, opens, Set.of(), Map.of());
    }

    /** java.base's patched classes call the bridge, which lives in the boot loader's unnamed module. */
    static void letJavaBaseRead(Instrumentation instrumentation, Module bridgeModule) {
        instrumentation.redefineModule(Object.class.getModule(), Set.of(bridgeModule), Map.of(), Map.of(), Set.of(), Map.of());
    }
}

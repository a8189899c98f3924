package gevent4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gevent4j.it.harness.AgentJvm;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The agent jar keeps to docs/agent-structure.md: only the premain class, its loader and the
 * resolver provider are loadable by the application; everything else, including the relocated ASM,
 * lives under inst/ as .classdata; no third-party package appears under its own name.
 */
class AgentJarLayoutIT {

  private static final Set<String> VISIBLE_PREFIXES = Set.of(
      "gevent4j/agent/Gevent4jAgent", "gevent4j/agent/AgentClassLoader", "gevent4j/agent/Gevent4jResolverProvider");

  @Test
  void onlyThePremainClassesAreOnTheApplicationClassPath() throws IOException {
    List<String> leaked = new ArrayList<>();
    try (JarFile jar = new JarFile(AgentJvm.agentJar().toFile())) {
      for (JarEntry e : java.util.Collections.list(jar.entries())) {
        String name = e.getName();
        if (name.endsWith(".class")) {
          boolean allowed = VISIBLE_PREFIXES.stream()
              .anyMatch(p -> name.equals(p + ".class") || name.startsWith(p + "$"));
          if (!allowed) {
            leaked.add(name);
          }
        }
      }
    }
    assertEquals(List.of(), leaked, "classes an application class loader could load");
  }

  @Test
  void thirdPartyCodeIsRelocatedUnderInst() throws IOException {
    Set<String> topLevel = new TreeSet<>();
    boolean asmRelocated = false;
    boolean jnrRelocated = false;
    try (JarFile jar = new JarFile(AgentJvm.agentJar().toFile())) {
      for (JarEntry e : java.util.Collections.list(jar.entries())) {
        String name = e.getName();
        if (name.startsWith("inst/gevent4j/shaded/asm/")) {
          asmRelocated = true;
        }
        if (name.startsWith("inst/gevent4j/shaded/jnr/ffi/")) {
          jnrRelocated = true;
        }
        // jffi keeps its package (its native stub binds Java_com_kenai_jffi_* symbols) and its
        // stub library; both are under inst/, where only the agent's class loader looks.
        boolean jffi = name.startsWith("inst/com/kenai/jffi/") || name.startsWith("inst/jni/")
            || name.equals("inst/com/") || name.equals("inst/com/kenai/");
        if (name.startsWith("inst/") && !name.equals("inst/") && !name.startsWith("inst/gevent4j/") && !jffi) {
          topLevel.add(name);
        }
        if (!name.startsWith("inst/") && !name.startsWith("META-INF/") && !name.startsWith("gevent4j/")) {
          topLevel.add(name);
        }
        assertTrue(!name.startsWith("org/objectweb") && !name.startsWith("net/bytebuddy")
            && !name.startsWith("jnr/") && !name.startsWith("com/") && !name.startsWith("inst/org/")
            && !name.startsWith("inst/net/") && !name.startsWith("inst/jnr/") && !name.startsWith("inst/com/kenai/jnr/"),
            "unrelocated third-party entry " + name);
      }
    }
    assertTrue(asmRelocated, "ASM is expected under gevent4j.shaded.asm");
    assertTrue(jnrRelocated, "JNR-FFI is expected under gevent4j.shaded.jnr");
    assertEquals(Set.of(), topLevel, "entries outside gevent4j/, inst/gevent4j/ and META-INF/");
  }

  @Test
  void bootLoaderPackagesHoldOnlyTheBridgeAndThePublicApi() throws IOException {
    Set<String> bridge = new TreeSet<>();
    Set<String> api = new TreeSet<>();
    try (JarFile jar = new JarFile(AgentJvm.agentJar().toFile())) {
      for (JarEntry e : java.util.Collections.list(jar.entries())) {
        String n = e.getName();
        if (n.startsWith("inst/gevent4j/bootstrap/") && n.endsWith(".classdata")) {
          bridge.add(n);
        } else if (n.endsWith(".classdata") && (n.matches("inst/gevent4j/[^/]+") || n.startsWith("inst/gevent4j/events/"))) {
          api.add(n.substring("inst/gevent4j/".length(), n.length() - ".classdata".length()));
        }
      }
    }
    // BootstrapInjector defines these packages into the boot loader, where patched JDK code (the
    // bridge) and the application (the public API) share them with the agent.
    assertEquals(Set.of("inst/gevent4j/bootstrap/Bridge.classdata", "inst/gevent4j/bootstrap/Hooks.classdata"), bridge);
    for (String expected : List.of("Greenlet", "Timeout", "Timeout$Expired", "Pool", "Group", "Event", "AsyncResult",
        "GreenletLocal", "GreenletExit", "GreenletTree", "Monitor", "events/Events", "events/Subscriber",
        "events/RuntimeEvent", "events/EventLoopBlocked")) {
      assertTrue(api.contains(expected), "public API class " + expected + " missing from " + api);
    }
    for (String name : api) {
      // Only the API: an implementation class here would be shared with the application.
      assertTrue(name.matches("(events/)?[A-Z][A-Za-z]*(\\$[A-Za-z0-9]+)*"), "unexpected boot class " + name);
    }
  }

  @Test
  void manifestDeclaresTheAgent() throws IOException {
    try (JarFile jar = new JarFile(AgentJvm.agentJar().toFile())) {
      Attributes main = jar.getManifest().getMainAttributes();
      assertEquals("gevent4j.agent.Gevent4jAgent", main.getValue("Premain-Class"));
      assertEquals("gevent4j.agent.Gevent4jAgent", main.getValue("Main-Class"));
      assertEquals("true", main.getValue("Can-Retransform-Classes"));
      assertTrue(jar.getEntry("META-INF/services/java.net.spi.InetAddressResolverProvider") != null);
    }
  }
}

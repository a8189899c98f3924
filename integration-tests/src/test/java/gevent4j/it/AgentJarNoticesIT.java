package gevent4j.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import gevent4j.it.harness.AgentJvm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The agent jar carries the license of every library it bundles: for each artifact the agent's
 * build lists as bundled ({@code agent/target/bundled-dependencies.txt}, written by
 * maven-dependency-plugin from the same runtime scope that shade bundles), a license text under
 * {@code META-INF/licenses/<groupId>/<artifactId>/} and a line {@code groupId:artifactId:version}
 * in {@code META-INF/THIRD-PARTY.txt}. A dependency added, or upgraded, without its notice fails
 * here. {@code META-INF/LICENSE} is the project's own (the repository's {@code LICENSE}), never a
 * bundled library's.
 */
class AgentJarNoticesIT {

  private static final String LICENSES = "META-INF/licenses/";
  private static final String THIRD_PARTY = "META-INF/THIRD-PARTY.txt";

  /** {@code groupId:artifactId:version} of every bundled artifact (a classifier merges with its artifact). */
  private static Set<String> bundled() throws IOException {
    String file = System.getProperty("gevent4j.agent.dependencies");
    if (file == null) {
      return fail("system property gevent4j.agent.dependencies is not set: run the integration tests through Maven");
    }
    Set<String> artifacts = new TreeSet<>();
    for (String line : Files.readAllLines(Path.of(file))) {
      // "   group:artifact:type[:classifier]:version:scope -- module ...", possibly with ANSI colours.
      String plain = line.replaceAll("\u001B\\[[;\\d]*m", "").strip();
      if (plain.isEmpty() || plain.startsWith("The following")) {
        continue;
      }
      String[] parts = plain.split("\\s+")[0].split(":");
      if (parts.length < 5) {
        fail("unexpected line in " + file + ": " + line);
      }
      artifacts.add(parts[0] + ":" + parts[1] + ":" + parts[parts.length - 2]);
    }
    assertFalse(artifacts.isEmpty(), "no bundled artifact listed in " + file);
    return artifacts;
  }

  @Test
  void everyBundledLibraryHasItsLicenseAndALineInThirdParty() throws IOException {
    Set<String> bundled = bundled();
    try (JarFile jar = new JarFile(AgentJvm.agentJar().toFile())) {
      JarEntry list = jar.getJarEntry(THIRD_PARTY);
      assertTrue(list != null, THIRD_PARTY + " is missing from the agent jar");
      String thirdParty = read(jar, list);
      Set<String> licensed = new TreeSet<>();
      for (JarEntry e : Collections.list(jar.entries())) {
        String name = e.getName();
        if (name.startsWith(LICENSES) && !e.isDirectory()) {
          String[] path = name.substring(LICENSES.length()).split("/");
          assertEquals(3, path.length, "license files go to " + LICENSES + "<groupId>/<artifactId>/: " + name);
          assertTrue(path[2].startsWith("LICENSE") || path[2].startsWith("NOTICE"), name);
          assertTrue(e.getSize() > 0 || read(jar, e).length() > 0, "empty " + name);
          if (path[2].equals("LICENSE")) {
            licensed.add(path[0] + ":" + path[1]);
          }
        }
      }
      List<String> missing = new ArrayList<>();
      Set<String> groupArtifacts = new TreeSet<>();
      for (String artifact : bundled) {
        String groupArtifact = artifact.substring(0, artifact.lastIndexOf(':'));
        groupArtifacts.add(groupArtifact);
        if (!licensed.contains(groupArtifact)) {
          missing.add(artifact + ": no " + LICENSES + groupArtifact.replace(':', '/') + "/LICENSE");
        }
        if (!thirdParty.lines().anyMatch(l -> l.startsWith(artifact + " "))) {
          missing.add(artifact + ": no line in " + THIRD_PARTY);
        }
      }
      assertEquals(List.of(), missing, "bundled libraries without their notice (add them to agent/src/main/licenses)");
      Set<String> stale = new TreeSet<>(licensed);
      stale.removeAll(groupArtifacts);
      assertEquals(Set.of(), stale, "licenses of libraries the jar no longer bundles");
    }
  }

  @Test
  void theJarsOwnLicenseIsTheProjectsNotALibrarys() throws IOException {
    Path root = Path.of(System.getProperty("gevent4j.project.root", ".."));
    try (JarFile jar = new JarFile(AgentJvm.agentJar().toFile())) {
      JarEntry license = jar.getJarEntry("META-INF/LICENSE");
      Path own = root.resolve("LICENSE");
      if (Files.exists(own)) {
        assertTrue(license != null, "META-INF/LICENSE should be the repository's LICENSE");
        assertEquals(Files.readString(own), read(jar, license));
      } else {
        assertEquals(null, license, "META-INF/LICENSE is a bundled library's, not the project's");
      }
      Set<String> others = new TreeSet<>();
      for (JarEntry e : Collections.list(jar.entries())) {
        String name = e.getName();
        if (name.startsWith("META-INF/") && !name.startsWith(LICENSES) && !name.equals("META-INF/LICENSE")
            && (name.contains("LICENSE") || name.contains("NOTICE"))) {
          others.add(name);
        }
      }
      assertEquals(Set.of(), others, "license files outside " + LICENSES);
    }
  }

  private static String read(JarFile jar, JarEntry e) throws IOException {
    try (InputStream in = jar.getInputStream(e)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}

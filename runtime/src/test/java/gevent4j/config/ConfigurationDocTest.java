package gevent4j.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** docs/configuration.md is generated; this fails when someone changes a setting and forgets to regenerate. */
class ConfigurationDocTest {
    private static final String REGENERATE = "docs/configuration.md is out of date with gevent4j.config.Settings; "
            + "regenerate it with bin/gen-docs";

    @Test
    void committedDocMatchesTheRegistry() throws IOException {
        // Surefire runs in the runtime module's directory; the docs live next to it in the repository root.
        Path doc = Paths.get("").toAbsolutePath().getParent().resolve("docs/configuration.md");
        assertTrue(Files.isRegularFile(doc), doc + " is missing; " + REGENERATE);
        assertEquals(ConfigurationDoc.render(), Files.readString(doc, StandardCharsets.UTF_8), REGENERATE);
    }

    @Test
    void everySettingHasASectionWithItsKeys() {
        String doc = ConfigurationDoc.render();
        for (Setting<?> setting : Settings.all()) {
            assertTrue(doc.contains("### `" + setting.name() + "`"), setting.name());
            assertTrue(doc.contains("`" + setting.environmentKey() + "`"), setting.name());
            assertTrue(doc.contains("`-D" + setting.systemProperty() + "=...`"), setting.name());
        }
        assertTrue(doc.contains("JAVA_TOOL_OPTIONS"));
        assertTrue(doc.contains("## Precedence"));
        assertTrue(doc.contains("`PYTHONTRACEMALLOC`"));
    }
}

package gevent4j.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders {@code docs/configuration.md} from {@link Settings}, as gevent renders its configuration page from
 * {@code _config.py}. The output is deterministic (no dates, no environment), so {@code ConfigurationDocTest}
 * can compare it byte for byte with the committed file. Regenerate with {@code bin/gen-docs}.
 */
public final class ConfigurationDoc {
    private ConfigurationDoc() {
    }

    /** Writes the rendered Markdown to the path in {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java gevent4j.config.ConfigurationDoc <output.md>");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        Files.writeString(out, render(), StandardCharsets.UTF_8);
    }

    /** The whole Markdown document. */
    public static String render() {
        StringBuilder md = new StringBuilder();
        header(md);
        valueKinds(md);
        settings(md);
        return md.toString();
    }

    private static void header(StringBuilder md) {
        md.append("""
                # Configuring gevent4j

                <!-- Generated from gevent4j.config.Settings by bin/gen-docs. Do not edit by hand. -->

                gevent4j reads its settings once, when the agent starts, and does not change them afterwards. \
                The settings mirror [gevent's configuration](https://www.gevent.org/configuration.html): same \
                names, same environment variables, same value syntax. Settings that gevent does not have are \
                marked as gevent4j extensions. Some settings are accepted and validated but do not take effect \
                yet; each says what will make it effective. `java -jar gevent4j-agent.jar info` prints every \
                setting's effective value and where it came from.

                ## Setting values

                ### Agent arguments

                Append `=name=value,name=value` to the `-javaagent` option. Because `,` separates one setting \
                from the next, the items of a list are separated with `+`:

                ```sh
                java -javaagent:gevent4j-agent.jar=loop=jdk,resolver=thread+block -jar app.jar
                ```

                To configure an application whose command line you cannot change, put the same option in \
                `JAVA_TOOL_OPTIONS`, which every JVM reads at startup:

                ```sh
                export JAVA_TOOL_OPTIONS='-javaagent:/opt/gevent4j/gevent4j-agent.jar=loop=jdk,log_level=info'
                ```

                Whitespace around names and values is ignored. An item without `=`, an unknown name or a \
                setting given twice is an error.

                ### System properties

                Each setting `<name>` is also the system property `gevent.<name>`, where lists may use `,`:

                ```sh
                java -Dgevent.resolver=thread,block -javaagent:gevent4j-agent.jar -jar app.jar
                ```

                Every system property that starts with `gevent.` must name a setting, so that a misspelt \
                name is an error instead of being silently ignored.

                ### Environment variables

                Each setting has the environment variable gevent documents for it, usually `GEVENT_<NAME>` \
                (exceptions are listed with each setting):

                ```sh
                GEVENT_RESOLVER=thread,block java -javaagent:gevent4j-agent.jar -jar app.jar
                ```

                An empty variable counts as unset. Only the variables listed below are read; other \
                `GEVENT*` variables are left alone, since they may belong to other software.

                ## Precedence

                When a setting is given in more than one place, the first of these wins:

                1. agent argument
                2. system property `gevent.<name>`
                3. environment variable
                4. the setting's default

                Only the winning value is parsed, so a broken environment variable can be overridden on the \
                command line. An invalid value is reported on one line that names the setting, the value, \
                where it came from and what is accepted. The deprecated aliases `ares_servers` and \
                `ares_timeout` supply the value of `resolver_nameservers` and `resolver_timeout`; setting an \
                alias and its replacement together is an error.

                """);
    }

    private static void valueKinds(StringBuilder md) {
        md.append("## Value kinds\n\n");
        Map<String, Kind<?>> kinds = new TreeMap<>();
        for (Setting<?> setting : Settings.all()) {
            kinds.putIfAbsent(setting.kind().name(), setting.kind());
        }
        kinds.forEach((name, kind) -> md.append("### ").append(name).append("\n\n")
                .append(kind.kindDoc()).append("\n\n"));
    }

    private static void settings(StringBuilder md) {
        md.append("## Settings\n\n")
                .append("| Setting | Environment variable | Default |\n")
                .append("|---|---|---|\n");
        for (Setting<?> setting : Settings.all()) {
            md.append("| [`").append(setting.name()).append("`](#").append(setting.name()).append(") | `")
                    .append(setting.environmentKey()).append("` | ").append(defaultText(setting)).append(" |\n");
        }
        md.append('\n');
        for (Setting<?> setting : Settings.all()) {
            section(md, setting);
        }
    }

    private static void section(StringBuilder md, Setting<?> setting) {
        md.append("### `").append(setting.name()).append("`\n\n")
                .append(setting.summary()).append("\n\n")
                .append("| | |\n|---|---|\n");
        row(md, "Environment variable", String.join(", then ", quoteEach(setting.environmentKeys())));
        row(md, "System property", "`-D" + setting.systemProperty() + "=...`");
        row(md, "Agent argument", "`" + setting.agentArgument() + "=...`");
        String kindName = setting.kind().name();
        row(md, "Kind", "[" + kindName + "](#" + kindName.replace(' ', '-') + ")");
        row(md, "Accepted", setting.kind().accepted());
        row(md, "Default", defaultText(setting));
        setting.deprecatedAliasOf().ifPresent(target -> row(md, "Deprecated",
                "alias of [`" + target.name() + "`](#" + target.name() + ")"));
        if (setting.isGevent4jExtension()) {
            row(md, "Origin", "gevent4j extension; gevent has no such setting");
        }
        row(md, "Since", setting.since());
        md.append('\n');
        String rest = setting.description().substring(setting.summary().length()).strip();
        if (!rest.isEmpty()) {
            md.append(rest).append("\n\n");
        }
    }

    private static <T> String defaultText(Setting<T> setting) {
        return setting.defaultValue().map(value -> "`" + setting.kind().format(value) + "`").orElse("none");
    }

    private static List<String> quoteEach(List<String> words) {
        return words.stream().map(word -> "`" + word + "`").toList();
    }

    private static void row(StringBuilder md, String label, String value) {
        // A '|' inside a cell would end it; none of our texts has one today, but accepted() texts may grow.
        md.append("| ").append(label).append(" | ").append(value.replace("|", "\\|")).append(" |\n");
    }
}

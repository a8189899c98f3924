package gevent4j.patches;

import java.util.ArrayList;
import java.util.List;

/** Every JDK class gevent4j patches, in one list: the installer applies it, the docs describe it. */
public final class JdkPatches {

    private JdkPatches() {
    }

    static List<Patch> all() {
        List<Patch> patches = new ArrayList<>();
        patches.add(PollerPatch.patch());
        patches.addAll(DispatcherClosePatch.patches());
        patches.add(VirtualThreadPatch.patch());
        patches.addAll(ThreadPatches.patches());
        patches.add(FileInputStreamPatch.patch());
        return List.copyOf(patches);
    }

    /** Markdown for {@code docs/patched-methods.md}. */
    public static String renderMarkdown() {
        StringBuilder out = new StringBuilder();
        out.append("# Patched JDK methods\n\n")
            .append("Generated from `gevent4j.patches.JdkPatches` (`bin/gen-docs`); a test keeps it in sync.\n")
            .append("Every method below is changed with Byte Buddy advice, applied by retransformation without\n")
            .append("changing any class's shape. Each advice calls `gevent4j.bootstrap.Bridge`; when the caller is\n")
            .append("not a greenlet of the Hub, the JDK's own code runs unchanged. Checked against JDK 25.\n\n")
            .append("Application classes are also rewritten: after every `new Thread(...)` of exactly\n")
            .append("`java.lang.Thread` a call to `Bridge.newThread` replaces the unstarted platform thread with a\n")
            .append("greenlet (`gevent4j.patches.NewThreadRewriter`). Subclasses of `Thread` stay platform threads.\n\n");
        for (Patch patch : all()) {
            out.append("## `").append(patch.typeName()).append("`\n\n").append(patch.why()).append(".\n\n");
            for (Patch.Method m : patch.methods()) {
                out.append("- `").append(m.signature()).append("`\n");
            }
            out.append('\n');
        }
        return out.toString();
    }

    public static void main(String[] args) throws java.io.IOException {
        java.nio.file.Files.writeString(java.nio.file.Path.of(args[0]), renderMarkdown());
    }
}

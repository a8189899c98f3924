package gevent4j.benchmarks.proc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the JDK's {@code jcmd} against a process (the {@code jcmd} beside the JVM running this code).
 * Attaching starts the target's "Attach Listener" thread, one more OS thread from then on: a
 * measurement that counts threads attaches in every configuration alike, or counts before.
 */
public final class Jcmd {

    private static final long TIMEOUT_SECONDS = 120;
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private Jcmd() {
    }

    /** {@code jcmd <pid> <command...>}; returns its output, or throws when it fails. */
    public static String run(long pid, String... command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            throw new IOException("no jcmd at " + jcmd);
        }
        List<String> args = new ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
        args.addAll(List.of(command));
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("jcmd " + String.join(" ", command) + " did not finish");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("jcmd " + String.join(" ", command) + " failed: " + text);
        }
        return text;
    }

    /** A full, stop-the-world collection ({@code System.gc()}) in the target. */
    public static void gc(long pid) throws IOException, InterruptedException {
        run(pid, "GC.run");
    }

    /** The Java heap in use ({@code GC.heap_info}'s first {@code used <n>K}), in kB; run it after {@link #gc}
     * for the live data. */
    public static long heapUsedKb(long pid) throws IOException, InterruptedException {
        String info = run(pid, "GC.heap_info");
        Matcher m = HEAP_USED.matcher(info);
        if (!m.find()) {
            throw new IOException("no 'used <n>K' in GC.heap_info: " + info);
        }
        return Long.parseLong(m.group(1));
    }

    /** One system property of the target, or null when it is not set. */
    public static String systemProperty(long pid, String name) throws IOException, InterruptedException {
        String prefix = name + "=";
        for (String line : run(pid, "VM.system_properties").split("\n")) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).trim();
            }
        }
        return null;
    }
}

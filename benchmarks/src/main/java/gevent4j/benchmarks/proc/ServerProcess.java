package gevent4j.benchmarks.proc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A contender's server process: started from its command line with the environment's JVM options
 * removed (every flag a measurement uses is on the command line), considered up once it prints
 * {@code listening on <port>} (every server of the benchmarks does, as the echo demo's does). Its
 * other output lines are passed on prefixed with {@code [server] }; its standard error is inherited.
 */
public final class ServerProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on (\\d+)");

    private final Process process;
    private final int port;
    private final String listeningLine;

    private ServerProcess(Process process, int port, String listeningLine) {
        this.process = process;
        this.port = port;
        this.listeningLine = listeningLine;
    }

    /** Starts the command and waits up to {@code timeoutSeconds} for its {@code listening on <port>}. */
    public static ServerProcess start(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Process process = IsolatedProcess.builder(command).start();
        CompletableFuture<String> listening = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("server-stdout").start(() -> pump(process, listening));
        try {
            String line = listening.get(timeoutSeconds, TimeUnit.SECONDS);
            Matcher m = LISTENING.matcher(line);
            if (!m.find()) {
                throw new IllegalStateException(line);
            }
            return new ServerProcess(process, Integer.parseInt(m.group(1)), line);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly().waitFor();
            throw new IOException("the server did not print 'listening on <port>': " + e.getMessage(), e);
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** The whole line that announced the port (some servers add facts to it, such as the loop). */
    public String listeningLine() {
        return listeningLine;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** User plus system CPU time the server has used so far, in seconds; -1 when unknown. */
    public double cpuSeconds() {
        return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(-1.0);
    }

    /** Stops the server: SIGTERM, then SIGKILL if it has not exited within 10 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static void pump(Process process, CompletableFuture<String> listening) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!listening.isDone() && LISTENING.matcher(line).find()) {
                    listening.complete(line);
                } else {
                    System.out.println("[server] " + line);
                }
            }
        } catch (IOException e) {
            // the server is gone; the future below says so if it never listened
        }
        listening.completeExceptionally(new IOException("the server closed its stdout"));
    }
}

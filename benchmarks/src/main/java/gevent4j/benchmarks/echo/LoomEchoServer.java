package gevent4j.benchmarks.echo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The "stock Loom" contender: the thread-per-connection echo server of
 * {@code gevent4j.examples.echo.EchoServer}, rewritten the way JDK 21+ recommends, one virtual
 * thread per client from {@link Executors#newVirtualThreadPerTaskExecutor()} on the JDK's own
 * scheduler. Run without the agent; {@code -Djdk.virtualThreadScheduler.parallelism=1} gives the
 * fair comparison with one Hub.
 *
 * <p>Usage: {@code LoomEchoServer [port]}; prints {@code listening on <port>}, runs until killed.
 */
public final class LoomEchoServer {

    private LoomEchoServer() {
    }

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        try (ServerSocket server = new ServerSocket(port, 1024);
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            System.out.println("listening on " + server.getLocalPort());
            System.out.flush();
            while (true) {
                Socket client = server.accept();
                clients.execute(() -> echo(client));
            }
        }
    }

    private static void echo(Socket socket) {
        try (Socket s = socket; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) != -1) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            System.err.println("echo: " + socket.getRemoteSocketAddress() + ": " + e);
        }
    }
}

package gevent4j.examples.echo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A classic thread-per-connection echo server, written the way it was done before virtual
 * threads: a blocking {@link ServerSocket} accept loop and one platform {@link Thread} per
 * client. It has no gevent4j imports; run it with and without {@code -javaagent} to compare.
 *
 * <p>Usage: {@code java gevent4j.examples.echo.EchoServer [port]} (0 or no port = ephemeral).
 * Prints {@code listening on <port>} once bound, then runs until killed.
 */
public final class EchoServer {

    private EchoServer() {
    }

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        try (ServerSocket server = new ServerSocket(port)) {
            System.out.println("listening on " + server.getLocalPort());
            System.out.flush();
            while (true) {
                Socket client = server.accept();
                new Thread(new Handler(client)).start();
            }
        }
    }

    /** Copies everything the client sends back to it until end of stream. */
    private static final class Handler implements Runnable {
        private final Socket socket;

        Handler(Socket socket) {
            this.socket = socket;
        }

        @Override
        public void run() {
            try (Socket s = socket;
                 InputStream in = s.getInputStream();
                 OutputStream out = s.getOutputStream()) {
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
}

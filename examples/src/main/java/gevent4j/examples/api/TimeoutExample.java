package gevent4j.examples.api;

import gevent4j.Greenlet;
import gevent4j.Timeout;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A {@link Timeout} around blocking calls: a socket read (the socket stays usable, as after an
 * {@code setSoTimeout} expiry) and a sleep ({@code Timeout.call} turns it into a
 * {@code TimeoutException}).
 *
 * <pre>bin/example TimeoutExample</pre>
 */
public final class TimeoutExample {

    public static void main(String[] args) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Greenlet<String> client = Greenlet.spawn(() -> {
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                    InputStream in = socket.getInputStream();
                    try (Timeout t = Timeout.start(Duration.ofMillis(200))) {
                        in.read();
                    } catch (Timeout.Expired e) {
                        System.out.println("read: " + e.getMessage() + "; socket closed? " + socket.isClosed());
                    }
                    socket.getOutputStream().write('!');         // tell the server we are still here
                    return "then read '" + (char) in.read() + "' on the same socket";
                }
            });
            try (Socket peer = server.accept()) {
                peer.getInputStream().read();                      // waits for the '!'
                peer.getOutputStream().write('x');
                System.out.println(client.get());
            }
        }

        try {
            Timeout.call(Duration.ofMillis(100), () -> {
                Thread.sleep(10_000);
                return "slept";
            });
        } catch (TimeoutException e) {
            System.out.println("Timeout.call: " + e.getMessage() + " (cause: " + e.getCause() + ")");
        }
    }
}

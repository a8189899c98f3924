package gevent4j.benchmarks.startup;

import java.io.IOException;

/**
 * The start-up workload's application: a trivial program with no gevent4j imports. The first
 * statement of {@code main} reads {@code System.nanoTime()} ({@code CLOCK_MONOTONIC}, the same clock
 * in every process of the machine) and prints it as {@code main <nanos>}, so that the driver, which
 * read the same clock just before starting the JVM, gets the time from process start to
 * {@code main}. Then it prints {@code loop=<the agent's loop, or none>} and idles, blocked reading
 * its standard input, until that ends.
 */
public final class StartupApp {

    private StartupApp() {
    }

    public static void main(String[] args) throws IOException {
        long now = System.nanoTime();
        System.out.println("main " + now);
        System.out.println("loop=" + System.getProperty("gevent4j.loop", "none"));
        System.out.flush();
        while (System.in.read() != -1) {
            // idle until the driver closes our input
        }
    }
}

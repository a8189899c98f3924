package gevent4j.examples.api;

import gevent4j.Greenlet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Spawning greenlets, waiting for them, reading their results and linking callbacks.
 *
 * <pre>bin/example SpawnJoinLink</pre>
 */
public final class SpawnJoinLink {

    public static void main(String[] args) throws Exception {
        // spawn: a greenlet that returns a value; get() waits and returns it.
        Greenlet<Integer> answer = Greenlet.spawn(() -> {
            Thread.sleep(50); // yields to the Hub: other greenlets run meanwhile
            return 42;
        });
        answer.link(g -> System.out.println("link: " + g + " is ready"));
        System.out.println("answer = " + answer.get());

        // A failing greenlet: get() rethrows its exception, linkException() is called.
        Greenlet<String> failing = Greenlet.spawn(() -> {
            throw new IllegalStateException("no such thing");
        });
        failing.linkException(g -> System.out.println("linkException: " + g.exception()));
        try {
            failing.get();
        } catch (IllegalStateException e) {
            System.out.println("get() rethrew: " + e);
        }

        // spawnLater + joinAll: ten greenlets started 10 ms apart, all joined with a limit.
        List<Greenlet<String>> later = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            later.add(Greenlet.spawnLater(Duration.ofMillis(10L * i), () -> "greenlet " + n));
        }
        List<Greenlet<?>> ready = Greenlet.joinAll(later, Duration.ofSeconds(5));
        System.out.println(ready.size() + " of " + later.size() + " ready; last says: " + later.get(9).value());

        // kill: interrupts the greenlet; a killed greenlet counts as successful, with no value.
        Greenlet<Void> sleeper = Greenlet.spawn(() -> {
            Thread.sleep(60_000);
            return null;
        });
        sleeper.kill(Duration.ofSeconds(5));
        System.out.println("killed: " + sleeper.killed() + ", successful: " + sleeper.successful());

        // Every thread the application makes is a greenlet too, with the same API.
        Thread plain = new Thread(() -> System.out.println("inside new Thread: " + Greenlet.current()), "plain");
        plain.start();
        plain.join();
    }
}

package gevent4j.patches;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Application-style code compiled by javac, for {@link NewThreadRewriterTest}. */
final class Samples {

    /** The line of the first {@code new Thread} in {@link Constructors}; the others follow, one per line. */
    static final int CONSTRUCTORS_FIRST_LINE = 23;

    private Samples() {
    }

    /** Each public constructor of Thread that an application may call. */
    public static final class Constructors implements Callable<Object> {
        @Override
        public Object call() {
            Runnable r = () -> { };
            ThreadGroup g = Thread.currentThread().getThreadGroup();
            List<Thread> threads = new ArrayList<>();
            threads.add(new Thread());
            threads.add(new Thread(r));
            threads.add(new Thread(r, "named"));
            threads.add(new Thread("name only"));
            threads.add(new Thread(g, r));
            threads.add(new Thread(g, "group and name"));
            threads.add(new Thread(g, r, "group, task, name"));
            threads.add(new Thread(g, r, "with stack size", 1 << 20));
            threads.add(new Thread(g, r, "without inherited locals", 0, false));
            return threads;
        }
    }

    /** Constructor arguments that build threads themselves, or branch. */
    public static final class Nested implements Callable<Object> {
        private static Runnable wrap(Thread t) {
            return t::run;
        }

        @Override
        public Object call() {
            boolean flag = System.nanoTime() > 0;
            Thread inner = new Thread(() -> { });
            Thread outer = new Thread(wrap(new Thread(flag ? "a" : "b")), flag ? "outer" : "other");
            return List.of(inner, outer);
        }
    }

    /** A Thread subclass: its super() call must stay as it is. */
    public static class Worker extends Thread {
        public Worker() {
            super("worker");
        }
    }

    public static final class Subclassing implements Callable<Object> {
        @Override
        public Object call() {
            return new Worker();
        }
    }

    public static final class NoThreads implements Callable<Object> {
        @Override
        public Object call() {
            return "nothing";
        }
    }
}

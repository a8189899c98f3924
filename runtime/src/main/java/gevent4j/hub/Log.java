package gevent4j.hub;

import java.io.PrintStream;

/**
 * The agent's own log: one line per message on stderr, prefixed {@code gevent4j:}. Nothing at the
 * default level appears during a healthy run; the user's stderr belongs to the user.
 */
public final class Log {

    /** Levels in increasing verbosity. */
    public enum Level { ERROR, WARN, INFO, DEBUG }

    private static volatile Level level = Level.WARN;
    private static volatile PrintStream out = System.err;

    private Log() {
    }

    public static void setLevel(Level newLevel) {
        level = newLevel;
    }

    public static boolean enabled(Level l) {
        return l.ordinal() <= level.ordinal();
    }

    public static void error(String message) {
        log(Level.ERROR, message);
    }

    public static void error(String message, Throwable t) {
        log(Level.ERROR, message + ": " + t);
        if (enabled(Level.DEBUG)) {
            t.printStackTrace(out);
        }
    }

    public static void warn(String message) {
        log(Level.WARN, message);
    }

    public static void info(String message) {
        log(Level.INFO, message);
    }

    public static void debug(String message) {
        log(Level.DEBUG, message);
    }

    private static void log(Level l, String message) {
        if (enabled(l)) {
            out.println("gevent4j: " + (l == Level.INFO ? "" : l.name() + " ") + message);
        }
    }
}

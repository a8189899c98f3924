package gevent4j.loop;

/**
 * What a loop may need from the configuration.
 *
 * @param backend the {@code libev_backend} setting, or null for the library's choice
 * @param watchChildren false when {@code disable_watch_children} is set
 */
public record LoopOptions(String backend, boolean watchChildren) {
    public static LoopOptions defaults() {
        return new LoopOptions(null, true);
    }
}

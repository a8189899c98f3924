package gevent4j.events;

import java.util.List;

/**
 * The loop was chosen along the {@code loop} preference list. Published during start-up, before
 * {@link HubStarted}: only subscribers registered through {@code ServiceLoader} see it.
 *
 * @param loop the loop chosen
 * @param description the loop's own description (library version, backend)
 * @param skipped one line per loop skipped before it, with the reason
 */
public record LoopChosen(String loop, String description, List<String> skipped) implements RuntimeEvent {
    public LoopChosen {
        skipped = List.copyOf(skipped);
    }
}

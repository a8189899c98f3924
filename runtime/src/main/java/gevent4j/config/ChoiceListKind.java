package gevent4j.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A list drawn from a fixed vocabulary, with no class names: used for {@code libev_backend}, whose names
 * are the ones {@code ev_supported_backends()} knows. Same list syntax as the importable lists.
 */
public final class ChoiceListKind implements Kind<List<String>> {
    private final String noun;
    private final List<String> names;
    private final Map<String, String> aliases;

    ChoiceListKind(String noun, List<String> names, Map<String, String> aliases) {
        this.noun = noun;
        this.names = List.copyOf(names);
        this.aliases = new LinkedHashMap<>(aliases);
    }

    /** The accepted names, in doc order. */
    public List<String> names() {
        return names;
    }

    @Override
    public String name() {
        return noun + " list";
    }

    @Override
    public String accepted() {
        List<String> shown = new ArrayList<>();
        for (String name : names) {
            List<String> spellings = new ArrayList<>();
            aliases.forEach((alias, target) -> {
                if (target.equals(name)) {
                    spellings.add(alias);
                }
            });
            shown.add(spellings.isEmpty() ? name : name + " (alias " + String.join(", ", spellings) + ")");
        }
        return String.join(", ", shown) + "; separate several with ',' or '+'";
    }

    @Override
    public String kindDoc() {
        return "One or more names from a fixed list, separated by `,` or `+` (`+` inside agent arguments). "
                + "Case does not matter; repeated names are an error.";
    }

    @Override
    public List<String> parse(String text) throws InvalidValueException {
        List<String> given = ListSyntax.split(text);
        List<String> normalized = new ArrayList<>(given.size());
        for (String item : given) {
            String lower = item.toLowerCase(Locale.ROOT);
            String name = names.contains(lower) ? lower : aliases.get(lower);
            if (name == null) {
                throw new InvalidValueException("unknown " + noun + " " + Text.quote(item));
            }
            normalized.add(name);
        }
        ListSyntax.requireDistinct(given, normalized, noun);
        return List.copyOf(normalized);
    }

    @Override
    public String format(List<String> value) {
        return String.join(",", value);
    }
}

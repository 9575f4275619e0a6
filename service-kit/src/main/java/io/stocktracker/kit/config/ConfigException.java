package io.stocktracker.kit.config;

import java.util.List;

/** Every problem of one configuration at once, one a line, so an operator fixes them in one go. */
public final class ConfigException extends IllegalArgumentException {
    private final List<String> problems;

    public ConfigException(String service, List<String> problems) {
        super("invalid " + service + " configuration:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}

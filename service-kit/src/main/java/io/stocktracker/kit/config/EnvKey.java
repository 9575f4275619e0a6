package io.stocktracker.kit.config;

/**
 * One environment variable a service reads: its name, its default ({@code ""} = unset), what it does (the README
 * table says the same), and whether its value is a secret (never printed: not in a config's description nor in
 * an error message).
 */
public record EnvKey(String name, String defaultValue, String description, boolean secret) {
    public EnvKey {
        if (name == null || !name.matches("[A-Z][A-Z0-9_]*")) {
            throw new IllegalArgumentException("an environment key is upper case letters, digits and _: '" + name + "'");
        }
        defaultValue = defaultValue == null ? "" : defaultValue;
        description = description == null ? "" : description;
    }
}

package io.stocktracker.kit.config;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A service's declared key table, in the order its README lists them. Every key a service reads is declared
 * here once, with its default; {@link #read} is the only way to read them, and the README test compares its
 * table with {@link #keys()}.
 */
public final class EnvKeys {
    private final String service;
    private final Map<String, EnvKey> keys = new LinkedHashMap<>();

    private EnvKeys(String service) {
        this.service = service;
    }

    public static EnvKeys of(String service) {
        return new EnvKeys(service);
    }

    public EnvKeys key(String name, String defaultValue, String description) {
        return add(new EnvKey(name, defaultValue, description, false));
    }

    public EnvKeys secret(String name, String description) {
        return add(new EnvKey(name, "", description, true));
    }

    private EnvKeys add(EnvKey key) {
        if (keys.putIfAbsent(key.name(), key) != null) {
            throw new IllegalArgumentException(key.name() + " is declared twice for " + service);
        }
        return this;
    }

    public String service() {
        return service;
    }

    public Collection<EnvKey> keys() {
        return Collections.unmodifiableCollection(keys.values());
    }

    EnvKey get(String name) {
        EnvKey k = keys.get(name);
        if (k == null) {
            throw new IllegalStateException(name + " is not a declared key of " + service);
        }
        return k;
    }

    /** A reader over {@code env} (the process environment, or a test's map); undeclared entries are ignored. */
    public EnvReader read(Map<String, String> env) {
        return new EnvReader(this, env);
    }
}

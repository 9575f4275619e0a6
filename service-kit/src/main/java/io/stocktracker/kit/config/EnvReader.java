package io.stocktracker.kit.config;

import io.stocktracker.kit.logging.Redact;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Typed getters over one service's declared keys. A bad value never throws here: it is noted, the getter
 * returns a harmless stand-in, and {@link #done()} throws one {@link ConfigException} listing every problem.
 *
 * <p>The one rule for blanks: an empty or all-whitespace value counts as unset, so the key's default applies
 * (compose files pass {@code KEY=${KEY:-}}). A key whose default is empty and that must have a value is read
 * with {@link #required}; a list emptied on purpose says {@code none} (see {@link #list}). Values are trimmed, except
 * through {@link #untrimmed} (a password may end in a space).
 */
public final class EnvReader {
    /** The value that empties a list whose default is not empty. */
    public static final String NONE = "none";

    private final EnvKeys keys;
    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    EnvReader(EnvKeys keys, Map<String, String> env) {
        this.keys = keys;
        this.env = new HashMap<>(env);
    }

    /** The value, trimmed, or the default when unset or blank ({@code ""} when there is none). */
    public String string(String name) {
        EnvKey key = keys.get(name);
        String v = env.get(name);
        return v == null || v.isBlank() ? key.defaultValue() : v.strip();
    }

    /** The value as given, or the default when unset or blank. */
    public String untrimmed(String name) {
        EnvKey key = keys.get(name);
        String v = env.get(name);
        return v == null || v.isBlank() ? key.defaultValue() : v;
    }

    /** Null when unset or blank (and the default is empty). */
    public String optional(String name) {
        String v = string(name);
        return v.isEmpty() ? null : v;
    }

    public String required(String name) {
        String v = string(name);
        if (v.isEmpty()) {
            problems.add(name + " must be set");
        }
        return v;
    }

    public int integer(String name, int min, int max) {
        return (int) longValue(name, min, max);
    }

    public long longValue(String name, long min, long max) {
        String v = string(name);
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) {
                problems.add(name + " must be between " + min + " and " + max + " (was " + number(name, v) + ")");
                return min;
            }
            return n;
        } catch (NumberFormatException e) {
            problems.add(name + " must be a whole number (was " + shown(name, v) + ")");
            return min;
        }
    }

    public double decimal(String name, double min, double max) {
        String v = string(name);
        try {
            double n = Double.parseDouble(v);
            if (!(n >= min && n <= max)) {
                problems.add(name + " must be between " + min + " and " + max + " (was " + number(name, v) + ")");
                return min;
            }
            return n;
        } catch (NumberFormatException e) {
            problems.add(name + " must be a number (was " + shown(name, v) + ")");
            return min;
        }
    }

    /** true/false, also 1/0, yes/no, on/off, any case. */
    public boolean bool(String name) {
        String v = string(name).toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> {
                problems.add(name + " must be true or false (was " + shown(name, v) + ")");
                yield false;
            }
        };
    }

    /** A whole number of milliseconds (keys named ..._MS keep their unit). */
    public Duration millis(String name, long minMs, long maxMs) {
        return Duration.ofMillis(longValue(name, minMs, maxMs));
    }

    /** A whole number of seconds (keys named ..._SECONDS keep their unit). */
    public Duration seconds(String name, long minSeconds, long maxSeconds) {
        return Duration.ofSeconds(longValue(name, minSeconds, maxSeconds));
    }

    /** An ISO-8601 duration ({@code P7D}, {@code PT12H}) of at least {@code min}. */
    public Duration duration(String name, Duration min) {
        String v = string(name);
        try {
            Duration d = Duration.parse(v);
            if (d.compareTo(min) < 0) {
                problems.add(name + " must be at least " + min + " (was " + shown(name, v) + ")");
                return min;
            }
            return d;
        } catch (DateTimeParseException e) {
            problems.add(name + " must be an ISO-8601 duration such as P7D or PT12H (was " + shown(name, v) + ")");
            return min;
        }
    }

    /**
     * Comma-separated, each item trimmed, empty items dropped. Since a blank value takes the default, a list whose
     * default is not empty is emptied with the word {@code none}.
     */
    public List<String> list(String name) {
        String v = string(name);
        if (v.equalsIgnoreCase(NONE)) {
            return List.of();
        }
        return Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** An absolute URI with a host and one of {@code schemes}; null when unset and the default is empty. */
    public URI uri(String name, Set<String> schemes) {
        String v = string(name);
        if (v.isEmpty()) {
            return null;
        }
        try {
            URI uri = new URI(v);
            if (uri.getScheme() == null || !schemes.contains(uri.getScheme().toLowerCase(Locale.ROOT)) || uri.getHost() == null) {
                problems.add(name + " must be a " + String.join(" or ", schemes.stream().sorted().toList()) + " URL with a host (was "
                        + shownUrl(name, v) + ")");
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            problems.add(name + " must be a URL (was " + shownUrl(name, v) + ")");
            return null;
        }
    }

    /** One of the constants of {@code type}, by name, any case. */
    public <E extends Enum<E>> E enumValue(String name, Class<E> type, E fallback) {
        String v = string(name);
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v)) {
                return e;
            }
        }
        problems.add(name + " must be one of " + Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList()
                + " (was " + shown(name, v) + ")");
        return fallback;
    }

    /** A value of a format a library parses: {@code parser} throws an exception whose message says what is wrong. */
    public <T> T parsed(String name, Function<String, T> parser, T fallback) {
        String v = string(name);
        try {
            return parser.apply(v);
        } catch (RuntimeException e) {
            String why = e.getMessage() != null && e.getMessage().startsWith(name) ? e.getMessage() : name + ": " + e.getMessage();
            problems.add(why + (keys.get(name).secret() ? "" : " (was '" + v + "')"));
            return fallback;
        }
    }

    /** A rule between keys (e.g. a heartbeat at most a third of a session): noted when {@code ok} is false. */
    public void check(boolean ok, String problem) {
        if (!ok) {
            problems.add(problem);
        }
    }

    public void problem(String problem) {
        problems.add(problem);
    }

    public boolean valid() {
        return problems.isEmpty();
    }

    /** Throws every problem noted so far at once. */
    public void done() {
        if (!problems.isEmpty()) {
            throw new ConfigException(keys.service(), problems);
        }
    }

    private String shown(String name, String value) {
        return keys.get(name).secret() ? "a hidden value" : "'" + value + "'";
    }

    private String number(String name, String value) {
        return keys.get(name).secret() ? "a hidden value" : value;
    }

    private String shownUrl(String name, String value) {
        return keys.get(name).secret() ? "a hidden value" : "'" + Redact.url(value) + "'";
    }
}

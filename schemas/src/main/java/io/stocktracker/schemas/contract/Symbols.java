package io.stocktracker.schemas.contract;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** The one symbol rule: upper case letters and digits, optionally with '.', '-' or '^' (BRK.B, RDS-A, ^GSPC, RELIANCE.NS). */
public final class Symbols {
    public static final String PATTERN_TEXT = "^[A-Z0-9^][A-Z0-9.\\-^]{0,19}$";
    public static final Pattern PATTERN = Pattern.compile(PATTERN_TEXT);
    public static final int MAX_LENGTH = 20;

    /** Trims and upper-cases, then checks the pattern; empty when the input is not a symbol. */
    public static Optional<String> normalize(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String trimmed = raw.trim();
        // before upper-casing: each character that expands ('\u00df' -> "SS") copies the whole result once more, so a
        // long input of them costs quadratic memory; upper-casing never shortens, so nothing longer can match
        if (trimmed.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String s = trimmed.toUpperCase(Locale.ROOT);
        return PATTERN.matcher(s).matches() ? Optional.of(s) : Optional.empty();
    }

    public static boolean isValid(String symbol) {
        return symbol != null && PATTERN.matcher(symbol).matches();
    }

    private Symbols() {}
}

package io.stocktracker.launcher.replay;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Parses the replay's --from / --to: an ISO-8601 instant ({@code 2026-01-10T10:30:00Z}), a local
 * date-time taken as UTC ({@code 2026-01-10T10:30}), a date ({@code 2026-01-10} = its midnight UTC),
 * epoch milliseconds, {@code now}, or a time before now ({@code -15m}, {@code -2h}, {@code -7d}).
 */
public final class TimeSpec {
    private TimeSpec() {}

    public static Instant parse(String text, Instant now) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty time");
        }
        String t = text.trim();
        if (t.equalsIgnoreCase("now")) {
            return now;
        }
        if (t.startsWith("-")) {
            return now.minus(relative(t.substring(1), text));
        }
        if (t.chars().allMatch(Character::isDigit)) {
            return Instant.ofEpochMilli(Long.parseLong(t));
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException ignored) {
            // try the other forms
        }
        try {
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
            // try a plain date
        }
        try {
            return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a time: '" + text
                    + "' (use 2026-01-10T10:30:00Z, 2026-01-10, epoch millis, now, or -15m / -2h / -7d)");
        }
    }

    private static Duration relative(String amount, String original) {
        String a = amount.toLowerCase(Locale.ROOT);
        try {
            long n = Long.parseLong(a.substring(0, a.length() - 1));
            return switch (a.charAt(a.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new IllegalArgumentException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a relative time: '" + original + "' (use -30s, -15m, -2h, -7d)");
        }
    }
}

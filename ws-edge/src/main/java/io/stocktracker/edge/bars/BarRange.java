package io.stocktracker.edge.bars;

import io.stocktracker.schemas.contract.ErrorCode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * The window {@code [from, to)} a {@code GET /api/bars/{symbol}?from=&to=} asks for, or the 400 to answer. Pure: every
 * hostile query string can be tried without a server. Both ends are ISO-8601 with an offset ({@code 2026-12-07T14:30:00Z},
 * {@code 2026-12-07T09:30:00-05:00}); absent, {@code from} is the start of today's session and {@code to} is
 * {@code from} plus {@link #MAX_SPAN}. A bar belongs to the window when its {@code windowStart} does.
 *
 * @param error null when the range is usable
 */
public record BarRange(Instant from, Instant to, ErrorCode error, String message) {
    /** One session (a DST day is 25 hours): more is never held, so a longer window can only be a client's mistake. */
    public static final Duration MAX_SPAN = Duration.ofHours(25);
    /** Longer than any ISO-8601 date-time with nanoseconds and an offset: what is longer is not echoed, nor parsed. */
    static final int MAX_PARAMETER_LENGTH = 40;

    public static BarRange parse(String fromRaw, String toRaw, Instant now, BarSession session) {
        Instant from;
        if (fromRaw == null || fromRaw.isBlank()) {
            from = session.startOf(now);
        } else {
            from = instant(fromRaw);
            if (from == null) {
                return notIso("from", fromRaw);
            }
        }
        Instant to;
        if (toRaw == null || toRaw.isBlank()) {
            to = fromRaw == null || fromRaw.isBlank() ? session.endOf(now) : from.plus(MAX_SPAN);
        } else {
            to = instant(toRaw);
            if (to == null) {
                return notIso("to", toRaw);
            }
        }
        if (!to.isAfter(from)) {
            return fail("'to' (" + to + ") must be after 'from' (" + from + ")");
        }
        if (Duration.between(from, to).compareTo(MAX_SPAN) > 0) {
            return fail("The range " + from + " .. " + to + " is longer than " + MAX_SPAN.toHours() + " hours (one session)");
        }
        return new BarRange(from, to, null, null);
    }

    private static Instant instant(String raw) {
        String s = raw.trim();
        if (s.length() > MAX_PARAMETER_LENGTH) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static BarRange notIso(String name, String raw) {
        String shown = raw.length() > MAX_PARAMETER_LENGTH ? raw.substring(0, MAX_PARAMETER_LENGTH) + "..." : raw;
        return fail("'" + name + "' must be an ISO-8601 date-time with an offset, e.g. 2026-12-07T14:30:00Z (was '"
                + shown.replaceAll("\\p{Cntrl}", "?") + "')");
    }

    private static BarRange fail(String message) {
        return new BarRange(null, null, ErrorCode.INVALID_RANGE, message);
    }
}

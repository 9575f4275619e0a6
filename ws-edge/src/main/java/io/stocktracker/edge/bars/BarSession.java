package io.stocktracker.edge.bars;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The trading session the chart shows by default: it opens every day at {@code open} in {@code zone} and lasts until
 * the next day's open. The store keeps the current session only, so a session also bounds what the edge holds.
 */
public record BarSession(ZoneId zone, LocalTime open) {

    /** The latest open at or before {@code now}. */
    public Instant startOf(Instant now) {
        ZonedDateTime at = now.atZone(zone);
        ZonedDateTime start = at.toLocalDate().atTime(open).atZone(zone);
        if (start.isAfter(at)) {
            start = start.minusDays(1);
        }
        return start.toInstant();
    }

    /** The next open after {@code now}: where the session that holds {@code now} ends. */
    public Instant endOf(Instant now) {
        return startOf(now).atZone(zone).plusDays(1).toInstant();
    }
}

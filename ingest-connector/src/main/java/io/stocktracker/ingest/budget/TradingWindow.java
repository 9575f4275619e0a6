package io.stocktracker.ingest.budget;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * When a daily provider allowance should be spent: a daily open-close window on some weekdays in a
 * market's time zone (default the US regular session, 09:30-16:00 America/New_York, Monday to
 * Friday), or {@code always} (every calendar day in that zone, midnight to midnight). Time is cut into
 * {@link Period}s: each window occurrence is an active period, each gap between two (an evening, a
 * weekend) is an inactive one. Exchange holidays are not known here: on a holiday the window is open
 * and providers answer with the last close (TwelveData then says the market is closed, and the
 * scheduler rests those symbols).
 */
public final class TradingWindow {
    public static final String ALWAYS = "always";

    /** A span of time that is entirely inside the window (active) or entirely outside it. */
    public record Period(boolean active, Instant start, Instant end) {
        public Duration length() {
            return Duration.between(start, end);
        }
    }

    private final LocalTime open;  // null = always
    private final LocalTime close;
    private final Set<DayOfWeek> days;
    private final ZoneId zone;

    private TradingWindow(LocalTime open, LocalTime close, Set<DayOfWeek> days, ZoneId zone) {
        this.open = open;
        this.close = close;
        this.days = days;
        this.zone = zone;
    }

    /** Every calendar day in {@code zone}, all day. */
    public static TradingWindow always(ZoneId zone) {
        return new TradingWindow(null, null, EnumSet.allOf(DayOfWeek.class), zone);
    }

    /** The US regular session: 09:30-16:00 America/New_York, Monday to Friday. */
    public static TradingWindow usRegularSession() {
        return parse("09:30-16:00", "MON-FRI", "America/New_York");
    }

    /**
     * @param window {@code HH:MM-HH:MM} (open before close, same day) or {@code always}
     * @param days   {@code MON-FRI}, {@code MON,WED,FRI}, {@code MON-SUN}; ignored for {@code always}
     * @param zone   an IANA zone id such as {@code America/New_York}
     * @throws IllegalArgumentException naming what is wrong
     */
    public static TradingWindow parse(String window, String days, String zone) {
        ZoneId zoneId;
        try {
            zoneId = ZoneId.of(zone == null ? "" : zone.strip());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a time zone id: '" + zone + "' (e.g. America/New_York)");
        }
        String w = window == null ? "" : window.strip().toLowerCase(Locale.ROOT);
        if (ALWAYS.equals(w)) {
            return always(zoneId);
        }
        String[] parts = w.split("-");
        if (parts.length != 2) {
            throw new IllegalArgumentException("window must be HH:MM-HH:MM or always, got '" + window + "'");
        }
        LocalTime from;
        LocalTime to;
        try {
            from = LocalTime.parse(parts[0].strip());
            to = LocalTime.parse(parts[1].strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("window must be HH:MM-HH:MM or always, got '" + window + "'");
        }
        if (!from.isBefore(to)) {
            // an overnight window would make one "day" straddle two dates; no market we serve needs it
            throw new IllegalArgumentException("window must open before it closes on the same day, got '" + window + "'");
        }
        return new TradingWindow(from, to, parseDays(days), zoneId);
    }

    static Set<DayOfWeek> parseDays(String spec) {
        Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
        String s = spec == null ? "" : spec.strip().toUpperCase(Locale.ROOT);
        for (String item : s.split(",")) {
            String part = item.strip();
            if (part.isEmpty()) {
                continue;
            }
            String[] range = part.split("-");
            if (range.length > 2) {
                throw new IllegalArgumentException("days must be like MON-FRI or MON,WED,FRI, got '" + spec + "'");
            }
            DayOfWeek first = day(range[0], spec);
            DayOfWeek last = range.length == 2 ? day(range[1], spec) : first;
            for (DayOfWeek d = first; ; d = d.plus(1)) {
                out.add(d);
                if (d == last) {
                    break;
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("days must name at least one day (like MON-FRI), got '" + spec + "'");
        }
        return out;
    }

    private static DayOfWeek day(String abbreviation, String spec) {
        String a = abbreviation.strip();
        for (DayOfWeek d : DayOfWeek.values()) {
            if (a.length() >= 3 && d.name().startsWith(a)) {
                return d;
            }
        }
        throw new IllegalArgumentException("days must be like MON-FRI or MON,WED,FRI, got '" + spec + "'");
    }

    public boolean isAlways() {
        return open == null;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The period {@code now} falls in: a window occurrence, or the gap between the last close and the next open. */
    public Period periodAt(Instant now) {
        LocalDate today = now.atZone(zone).toLocalDate();
        if (isAlways()) {
            return new Period(true, today.atStartOfDay(zone).toInstant(), today.plusDays(1).atStartOfDay(zone).toInstant());
        }
        if (days.contains(today.getDayOfWeek())) {
            Instant o = openOn(today);
            Instant c = closeOn(today);
            if (!now.isBefore(o) && now.isBefore(c)) {
                return new Period(true, o, c);
            }
        }
        return new Period(false, previousClose(now, today), nextOpen(now, today));
    }

    private Instant previousClose(Instant now, LocalDate today) {
        for (int back = 0; back <= 7; back++) {
            LocalDate d = today.minusDays(back);
            if (days.contains(d.getDayOfWeek()) && !closeOn(d).isAfter(now)) {
                return closeOn(d);
            }
        }
        throw new IllegalStateException("no close within a week before " + now); // days is never empty
    }

    private Instant nextOpen(Instant now, LocalDate today) {
        for (int ahead = 0; ahead <= 7; ahead++) {
            LocalDate d = today.plusDays(ahead);
            if (days.contains(d.getDayOfWeek()) && openOn(d).isAfter(now)) {
                return openOn(d);
            }
        }
        throw new IllegalStateException("no open within a week after " + now);
    }

    private Instant openOn(LocalDate date) {
        return ZonedDateTime.of(date, open, zone).toInstant();
    }

    private Instant closeOn(LocalDate date) {
        return ZonedDateTime.of(date, close, zone).toInstant();
    }

    @Override
    public String toString() {
        return isAlways() ? ALWAYS + " (" + zone + ")" : open + "-" + close + " " + days + " " + zone;
    }
}

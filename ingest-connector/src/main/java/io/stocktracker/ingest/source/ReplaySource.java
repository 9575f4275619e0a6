package io.stocktracker.ingest.source;

import io.stocktracker.ingest.source.SourceFailure.Reason;
import io.stocktracker.schemas.model.RawQuote;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays a {@link ReplayFile} as if it were live. With a finite speed (1x, 10x...) a replay clock runs
 * from the file's first timestamp at {@code speed} times wall time, and each fetch answers the latest
 * recorded quote of each symbol at that replay time. With speed "max" each fetch advances every asked
 * symbol by one record. Looping starts over at the end; otherwise the last quotes stay. Emitted quotes
 * carry the wall-clock time (so a loop never goes back in time downstream) and source "replay".
 */
public final class ReplaySource implements QuoteSource {
    public static final String SOURCE = "replay";

    private final Map<String, List<ReplayFile.Entry>> bySymbol = new LinkedHashMap<>();
    private final Map<String, Integer> cursors = new HashMap<>();
    private final double speed;
    private final boolean loop;
    private final Clock clock;
    private final Instant first;
    private final Duration span;
    private Instant startedAt;

    /** @param speed replay-time seconds per wall second; {@link Double#POSITIVE_INFINITY} for "max". */
    public ReplaySource(ReplayFile file, double speed, boolean loop, Clock clock) {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("replay speed must be positive, got " + speed);
        }
        for (ReplayFile.Entry e : file.entries()) {
            bySymbol.computeIfAbsent(e.symbol(), s -> new ArrayList<>()).add(e);
        }
        this.speed = speed;
        this.loop = loop;
        this.clock = clock;
        this.first = file.entries().get(0).time();
        Instant last = file.entries().get(file.entries().size() - 1).time();
        // one second past the last record so a loop does not replay first and last at the same instant
        this.span = Duration.between(first, last).plusSeconds(1);
    }

    /** Parses "1x", "10", "0.5x" or "max". */
    public static double parseSpeed(String text) {
        String t = text.strip().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("max")) {
            return Double.POSITIVE_INFINITY;
        }
        if (t.endsWith("x")) {
            t = t.substring(0, t.length() - 1);
        }
        double v = Double.parseDouble(t);
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("speed must be a positive number or max");
        }
        return v;
    }

    public List<String> symbols() {
        return List.copyOf(bySymbol.keySet());
    }

    @Override
    public String name() {
        return SOURCE;
    }

    @Override
    public synchronized Map<String, FetchResult> fetch(List<String> symbols) {
        Instant now = clock.instant();
        if (startedAt == null) {
            startedAt = now;
        }
        Map<String, FetchResult> results = new HashMap<>();
        for (String symbol : symbols) {
            List<ReplayFile.Entry> entries = bySymbol.get(symbol);
            if (entries == null) {
                results.put(symbol, FetchResult.failed(Reason.UNKNOWN_SYMBOL, "replay file has no " + symbol));
                continue;
            }
            ReplayFile.Entry entry = Double.isInfinite(speed) ? nextOf(symbol, entries) : at(entries, replayTime(now));
            results.put(symbol, FetchResult.of(quote(entry, now)));
        }
        return results;
    }

    private ReplayFile.Entry nextOf(String symbol, List<ReplayFile.Entry> entries) {
        int i = cursors.getOrDefault(symbol, 0);
        if (i >= entries.size()) {
            i = loop ? 0 : entries.size() - 1;
        }
        cursors.put(symbol, i + 1);
        return entries.get(i);
    }

    private Instant replayTime(Instant now) {
        long elapsedNanos = (long) (Duration.between(startedAt, now).toNanos() * speed);
        long spanNanos = span.toNanos();
        if (elapsedNanos >= spanNanos) {
            elapsedNanos = loop ? elapsedNanos % spanNanos : spanNanos;
        }
        return first.plusNanos(elapsedNanos);
    }

    /** The latest entry at or before {@code t}; the first one when the symbol has not started yet. */
    private static ReplayFile.Entry at(List<ReplayFile.Entry> entries, Instant t) {
        int lo = 0;
        int hi = entries.size() - 1;
        int found = 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (!entries.get(mid).time().isAfter(t)) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return entries.get(found);
    }

    private static RawQuote quote(ReplayFile.Entry e, Instant now) {
        return new RawQuote(e.symbol(), e.price(), e.open(), e.high(), e.low(), e.previousClose(), e.volume(),
                e.change(), e.changePercent(), now, SOURCE, now);
    }
}

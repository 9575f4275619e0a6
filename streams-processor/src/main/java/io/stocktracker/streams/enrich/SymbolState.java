package io.stocktracker.streams.enrich;

import java.time.Instant;
import java.time.LocalDate;

/**
 * What the processor remembers per symbol (the value of the dedup store, changelogged so it survives
 * restarts): the last seq handed out, the last accepted source time and fingerprint, and the
 * trading-day state used when the provider does not give previousClose/open/high/low.
 *
 * @param lastVolume the provider's cumulative session volume at the last accepted quote (null: none given)
 * @param acceptedAt processing (wall-clock) time of the last accepted quote: what idle eviction measures from.
 *                   Null in states written before it existed; the eviction then falls back to {@code lastTimestamp}
 */
public record SymbolState(
        long seq,
        Instant lastTimestamp,
        String lastFingerprint,
        LocalDate tradingDay,
        Double previousClose,
        Double dayOpen,
        Double dayHigh,
        Double dayLow,
        double lastPrice,
        Long lastVolume,
        Instant acceptedAt) {

    /** When the symbol last had an accepted quote, by the best clock this state holds. */
    public Instant lastActive() {
        return acceptedAt != null ? acceptedAt : lastTimestamp;
    }
}

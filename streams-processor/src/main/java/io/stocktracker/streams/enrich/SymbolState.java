package io.stocktracker.streams.enrich;

import java.time.Instant;
import java.time.LocalDate;

/**
 * What the processor remembers per symbol (the value of the dedup store, changelogged so it survives
 * restarts): the last seq handed out, the last accepted source time and fingerprint, and the
 * trading-day state used when the provider does not give previousClose/open/high/low.
 *
 * @param lastVolume the provider's cumulative session volume at the last accepted quote (null: none given)
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
        Long lastVolume) {
}

package io.stocktracker.edge.bars;

import java.time.Duration;

/**
 * The {@code BARS_*} settings: the session the chart shows by default and the store's symbol cap.
 *
 * @param session    BARS_SESSION_ZONE and BARS_SESSION_OPEN
 * @param maxSymbols BARS_MAX_SYMBOLS: symbols whose bars the edge keeps
 */
public record BarsPolicy(BarSession session, int maxSymbols) {
    /** A session is at most 25 hours (a DST day) of 1-minute bars. */
    public static final int MAX_BARS_PER_SYMBOL = (int) (BarRange.MAX_SPAN.toMinutes());
    public static final Duration BAR_LENGTH = Duration.ofMinutes(1);

    public BarStore newStore() {
        return new BarStore(maxSymbols, MAX_BARS_PER_SYMBOL);
    }
}

package io.stocktracker.streams.enrich;

import io.stocktracker.schemas.model.RawQuote;
import io.stocktracker.schemas.model.StockQuote;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Dedup and enrichment of one valid quote against its symbol's state: pure, no Kafka.
 *
 * <ul>
 *   <li>A source time before the last accepted one is out of order; the same source time with the
 *       same values is a duplicate. The same source time with different values is a correction and
 *       is accepted (some providers only stamp the trading day).</li>
 *   <li>previousClose/open/high/low come from the provider when it gives them; otherwise from the
 *       trading-day state kept here, in the exchange time zone. On the first quote of a new trading
 *       day the previous day's last price becomes previousClose.</li>
 *   <li>change and changePercent are rounded to 4 decimals; with previousClose 0 the percentage is
 *       undefined and left out (never Infinity).</li>
 *   <li>{@code RawQuote.volume} is read as the provider's cumulative session volume (what
 *       GLOBAL_QUOTE and /quote return); the bar volume is built from its increments.</li>
 * </ul>
 */
public final class QuoteEnricher {
    private final ZoneId exchangeZone;

    public QuoteEnricher(ZoneId exchangeZone) {
        this.exchangeZone = exchangeZone;
    }

    public Decision offer(String symbol, RawQuote q, SymbolState prev, Instant now) {
        Instant ts = q.timestamp();
        String fingerprint = fingerprint(q);
        if (prev != null) {
            if (ts.isBefore(prev.lastTimestamp())) {
                return new Decision.Dropped(DropReason.OUT_OF_ORDER,
                        "source time " + ts + " is before the last accepted " + prev.lastTimestamp());
            }
            if (ts.equals(prev.lastTimestamp()) && fingerprint.equals(prev.lastFingerprint())) {
                return new Decision.Dropped(DropReason.DUPLICATE, "same source time and values as seq " + prev.seq());
            }
        }
        double price = q.price();
        LocalDate day = ts.atZone(exchangeZone).toLocalDate();
        boolean newDay = prev == null || day.isAfter(prev.tradingDay());

        Double stateClose = newDay ? (prev == null ? null : prev.lastPrice()) : prev.previousClose();
        Double stateOpen = newDay ? null : prev.dayOpen();
        Double stateHigh = newDay ? null : prev.dayHigh();
        Double stateLow = newDay ? null : prev.dayLow();

        Double previousClose = q.previousClose() != null ? q.previousClose() : stateClose;
        Double open = q.open() != null ? q.open() : (stateOpen != null ? stateOpen : price);
        Double high = q.high() != null ? q.high() : max(stateHigh, price);
        Double low = q.low() != null ? q.low() : min(stateLow, price);

        Double change;
        Double changePercent;
        if (previousClose != null) {
            change = round4(price - previousClose);
            changePercent = previousClose == 0.0 ? null : round4((price - previousClose) / previousClose * 100.0);
        } else {
            change = q.change() == null ? null : round4(q.change());
            changePercent = q.changePercent() == null ? null : round4(q.changePercent());
        }

        long volumeDelta = volumeDelta(prev, newDay, q.volume());
        long seq = prev == null ? firstSeq(now) : prev.seq() + 1;
        StockQuote quote = new StockQuote(symbol, price, change, changePercent, q.volume(), high, low, open, previousClose,
                ts, q.source(), seq, q.ingestedAt(), now);
        SymbolState next = new SymbolState(seq, ts, fingerprint, day, previousClose, open,
                max(max(stateHigh, price), q.high()), min(min(stateLow, price), q.low()), price,
                q.volume() != null ? q.volume() : (newDay ? null : prev.lastVolume()), now);
        return new Decision.Accepted(quote, next, volumeDelta);
    }

    /**
     * The seq of a symbol's first quote after its state was created: the processing time in epoch
     * milliseconds times {@value #SEQ_PER_MILLI}, not 1. A symbol's state is deleted after it has been idle
     * (SYMBOL_IDLE_RETENTION), and edges and clients drop any seq at or below the one they hold, so a
     * re-created symbol must start above everything it handed out before, without remembering it.
     * A state created at time t0 that accepts fewer than {@value #SEQ_PER_MILLI} quotes per millisecond on
     * average stays below {@code now * SEQ_PER_MILLI} at every later instant, so the next state of the same
     * symbol, created later still (after the idle retention), starts above it. The largest value fits
     * JavaScript's 2^53 safe integers until about the year 2255 (9,007,199,254,740 ms).
     * States created before this floor existed started at 1 and are far below it.
     */
    static long firstSeq(Instant now) {
        return Math.multiplyExact(now.toEpochMilli(), SEQ_PER_MILLI);
    }

    static final long SEQ_PER_MILLI = 1000;

    private static long volumeDelta(SymbolState prev, boolean newDay, Long volume) {
        if (volume == null || prev == null) {
            return 0; // the first quote seen is the baseline: its session volume was not traded in this bar
        }
        if (newDay) {
            return volume;
        }
        Long last = prev.lastVolume();
        return last == null || volume < last ? 0 : volume - last;
    }

    /** Same source values -> same fingerprint; the source name is left out so a fallback provider's copy also matches. */
    static String fingerprint(RawQuote q) {
        return q.price() + "|" + q.volume() + "|" + q.open() + "|" + q.high() + "|" + q.low() + "|" + q.previousClose();
    }

    static Double round4(double value) {
        if (!Double.isFinite(value)) {
            return null;
        }
        return BigDecimal.valueOf(value).setScale(4, RoundingMode.HALF_UP).doubleValue();
    }

    private static Double max(Double a, Double b) {
        return a == null ? b : b == null ? a : Math.max(a, b);
    }

    private static Double min(Double a, Double b) {
        return a == null ? b : b == null ? a : Math.min(a, b);
    }
}

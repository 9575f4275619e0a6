package io.stocktracker.edge.options;

import io.stocktracker.edge.fanout.ClientQueue.PendingQuote;
import io.stocktracker.edge.protocol.WireFormat;
import io.stocktracker.schemas.contract.Symbols;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.schemas.ws.Subscribe;
import io.stocktracker.schemas.ws.SubscriptionOptions;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One connection's subscriptions that have options, between the fan-out and the connection's queue. A connection
 * gets one only when it subscribes with options and loses it when none is left, so a connection without options
 * pays a null test per delivery and nothing else. What it lets through still goes through the queue, which keeps
 * its guarantees (no seq twice, conflation, slow-consumer limits) for shaped quotes too.
 */
public final class ShapedSubscriptions {
    private record Shaped(SymbolOptions options, SymbolGate gate) {
    }

    private final Map<String, Shaped> bySymbol = new HashMap<>();
    private final WireFormat format;
    private final ScheduledExecutorService timers;
    private final QuoteProjections projections;
    private final Consumer<PendingQuote> release;
    private final LongSupplier nanoClock;

    /** {@code release} takes the quotes a {@code maxRate} timer lets out (already cut to the subscription's fields). */
    public ShapedSubscriptions(WireFormat format, ScheduledExecutorService timers, QuoteProjections projections,
                               Consumer<PendingQuote> release, LongSupplier nanoClock) {
        this.format = format;
        this.timers = timers;
        this.projections = projections;
        this.release = release;
        this.nanoClock = nanoClock;
    }

    /**
     * A subscribe's accepted symbols take the message's options (none: back to every tick, every field). Returns what
     * the connection keeps: {@code current}, a new instance from {@code create}, or null when no symbol has options.
     */
    public static ShapedSubscriptions apply(ShapedSubscriptions current, List<String> accepted, Subscribe msg,
                                            Supplier<ShapedSubscriptions> create) {
        boolean asks = msg.options() != null || (msg.symbolOptions() != null && !msg.symbolOptions().isEmpty());
        if (current == null && !asks) {
            return null;
        }
        ShapedSubscriptions s = current != null ? current : create.get();
        return s.set(accepted, msg.options(), msg.symbolOptions()) ? s : null;
    }

    /** Unsubscribed symbols lose their options; null when none is left. */
    public static ShapedSubscriptions forget(ShapedSubscriptions current, Collection<String> symbols) {
        if (current == null) {
            return null;
        }
        synchronized (current) {
            symbols.forEach(current.bySymbol::remove);
            return current.bySymbol.isEmpty() ? null : current;
        }
    }

    /**
     * A live quote: itself when its symbol has no options, the quote to deliver (cut to the fields asked for), or
     * null when it is held back or dropped.
     */
    public PendingQuote admit(PendingQuote quote) {
        Shaped s;
        SymbolGate.Verdict verdict;
        synchronized (this) {
            s = bySymbol.get(quote.symbol());
            if (s == null) {
                return quote;
            }
            long now = nanoClock.getAsLong();
            verdict = s.gate().offer(quote, now);
            if (verdict == SymbolGate.Verdict.HOLD_AND_ARM) {
                Shaped armed = s;
                try {
                    timers.schedule(() -> intervalOpened(quote.symbol(), armed), Math.max(0, s.gate().opensAt() - now),
                            TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException closing) {
                    // the edge is shutting down: the held quote goes with it, the fan-out must not fail
                    return null;
                }
            }
        }
        return verdict == SymbolGate.Verdict.PASS ? cut(s, quote) : null;
    }

    /** The subscribe's snapshot, cut to the symbol's fields; it is also where {@code minChangePercent} measures from. */
    public StockQuote snapshot(String symbol, StockQuote quote) {
        QuoteFields fields;
        synchronized (this) {
            Shaped s = bySymbol.get(symbol);
            if (s == null) {
                return quote;
            }
            s.gate().snapshot(quote, nanoClock.getAsLong());
            fields = s.options().fields();
        }
        return fields == null ? quote : fields.project(quote);
    }

    private boolean set(List<String> accepted, SubscriptionOptions all, Map<String, SubscriptionOptions> each) {
        Map<String, SubscriptionOptions> own = new HashMap<>();
        if (each != null) {
            each.forEach((raw, o) -> Symbols.normalize(raw).ifPresent(symbol -> {
                if (o != null) {
                    own.put(symbol, o);
                }
            }));
        }
        synchronized (this) {
            for (String symbol : accepted) {
                SymbolOptions options = SymbolOptions.resolve(all, own.get(symbol));
                if (options == null) {
                    bySymbol.remove(symbol);
                } else {
                    bySymbol.put(symbol, new Shaped(options, new SymbolGate(options)));
                }
            }
            return !bySymbol.isEmpty();
        }
    }

    private void intervalOpened(String symbol, Shaped armed) {
        PendingQuote q;
        synchronized (this) {
            // re-subscribed or unsubscribed meanwhile: that gate's held quote is no longer wanted
            if (bySymbol.get(symbol) != armed) {
                return;
            }
            q = armed.gate().release(nanoClock.getAsLong());
        }
        if (q != null) {
            release.accept(cut(armed, q));
        }
    }

    private PendingQuote cut(Shaped s, PendingQuote quote) {
        QuoteFields fields = s.options().fields();
        return fields == null ? quote : projections.project(quote, fields, format);
    }
}

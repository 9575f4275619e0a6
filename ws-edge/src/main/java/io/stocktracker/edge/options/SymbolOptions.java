package io.stocktracker.edge.options;

import io.stocktracker.schemas.ws.SubscriptionOptions;

/**
 * One symbol's options as the fan-out uses them: the message's options with the symbol's own laid over them one by
 * one. {@code intervalNanos} 0 = every tick, {@code minChangePercent} 0 = any move, {@code fields} null = all.
 */
record SymbolOptions(long intervalNanos, double minChangePercent, QuoteFields fields) {

    /** Null when nothing is set: the symbol is delivered as if no option existed. Values checked by {@link OptionsCheck}. */
    static SymbolOptions resolve(SubscriptionOptions message, SubscriptionOptions symbol) {
        Double rate = pick(symbol == null ? null : symbol.maxRate(), message == null ? null : message.maxRate());
        Double change = pick(symbol == null ? null : symbol.minChangePercent(), message == null ? null : message.minChangePercent());
        var fields = pick(symbol == null ? null : symbol.fields(), message == null ? null : message.fields());
        if (rate == null && change == null && fields == null) {
            return null;
        }
        return new SymbolOptions(rate == null ? 0 : Math.round(1_000_000_000d / rate), change == null ? 0 : change,
                fields == null ? null : QuoteFields.of(fields));
    }

    private static <T> T pick(T own, T inherited) {
        return own != null ? own : inherited;
    }
}

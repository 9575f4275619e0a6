package io.stocktracker.edge.http;

import io.stocktracker.schemas.contract.ErrorCode;
import io.stocktracker.schemas.contract.Symbols;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The symbols a REST request names ({@code /api/quotes/{symbol}} or {@code ?symbols=A,B}), or the 400 to answer.
 * Pure, so the routes stay thin and every hostile path or query string can be tried without a server.
 *
 * @param symbols normalised, de-duplicated, in the order asked; empty when {@code error} is set
 * @param error   null when the request names valid symbols
 */
record SymbolQuery(List<String> symbols, ErrorCode error, String message) {

    static SymbolQuery ofPath(String raw) {
        Optional<String> symbol = Symbols.normalize(raw);
        return symbol.map(s -> new SymbolQuery(List.of(s), null, null))
                .orElseGet(() -> fail(ErrorCode.INVALID_SYMBOL, "Not a symbol: must match " + Symbols.PATTERN_TEXT));
    }

    /** Stops at the first bad entry, and as soon as more than {@code maxSymbols} distinct ones are named. */
    static SymbolQuery ofList(String raw, int maxSymbols) {
        if (raw == null || raw.isBlank()) {
            return fail(ErrorCode.INVALID_MESSAGE, "Query parameter 'symbols' is required, e.g. ?symbols=AAPL,MSFT");
        }
        Set<String> symbols = new LinkedHashSet<>();
        for (String s : raw.split(",")) {
            if (s.isBlank()) {
                continue;
            }
            Optional<String> n = Symbols.normalize(s);
            if (n.isEmpty()) {
                return fail(ErrorCode.INVALID_SYMBOL, "Not a symbol: " + printable(s.trim()));
            }
            symbols.add(n.get());
            if (symbols.size() > maxSymbols) {
                return fail(ErrorCode.SUBSCRIPTION_LIMIT_EXCEEDED, "At most " + maxSymbols + " symbols per request");
            }
        }
        return new SymbolQuery(List.copyOf(symbols), null, null);
    }

    private static SymbolQuery fail(ErrorCode code, String message) {
        return new SymbolQuery(List.of(), code, message);
    }

    /** What the client sent, echoed short and without control characters. */
    private static String printable(String s) {
        String t = s.length() > Symbols.MAX_LENGTH + 12 ? s.substring(0, Symbols.MAX_LENGTH + 12) + "..." : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}

package io.stocktracker.edge.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.stocktracker.edge.security.TokenAuthenticator;
import io.stocktracker.edge.security.TokenAuthenticator.Principal;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.ErrorCode;
import io.stocktracker.schemas.contract.Symbols;
import io.stocktracker.schemas.model.StockQuote;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The REST polling fallback, served from the edge's latest-value cache (no backend call per request). With
 * AUTH_MODE=jwt every request needs {@code Authorization: Bearer <token>}, checked like a WebSocket's token, and
 * sees only the symbols its {@code symbols} claim allows. No query-string token: proxies log query strings.
 */
public final class QuoteRoutes {
    private static final String BEARER = "Bearer ";

    private final Function<String, Optional<StockQuote>> latest;
    private final Supplier<Map<String, StockQuote>> all;
    private final int maxSymbols;
    private final TokenAuthenticator authenticator;

    /** @param authenticator null with AUTH_MODE=none: every request is answered */
    public QuoteRoutes(Function<String, Optional<StockQuote>> latest, Supplier<Map<String, StockQuote>> all, int maxSymbols,
                       TokenAuthenticator authenticator) {
        this.latest = latest;
        this.all = all;
        this.maxSymbols = maxSymbols;
        this.authenticator = authenticator;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/quotes/{symbol}", this::one);
        routes.get("/api/quotes", this::many);
        routes.get("/api/symbols", this::symbols);
    }

    private void one(Context ctx) {
        Principal principal = authorize(ctx);
        if (principal == null) {
            return;
        }
        Optional<String> symbol = Symbols.normalize(ctx.pathParam("symbol"));
        if (symbol.isEmpty()) {
            error(ctx, 400, ErrorCode.INVALID_SYMBOL, "Not a symbol: must match " + Symbols.PATTERN_TEXT);
            return;
        }
        if (!principal.allows(symbol.get())) {
            error(ctx, 403, ErrorCode.FORBIDDEN_SYMBOL, "Your token does not allow " + symbol.get());
            return;
        }
        Optional<StockQuote> quote = latest.apply(symbol.get());
        if (quote.isEmpty()) {
            json(ctx, 404, Map.of("message", "Unknown symbol: " + symbol.get(), "symbol", symbol.get()));
            return;
        }
        json(ctx, 200, quote.get());
    }

    /** {@code ?symbols=A,B}: the quotes known, in the order asked; unknown symbols and those the token does not allow are absent. */
    private void many(Context ctx) {
        Principal principal = authorize(ctx);
        if (principal == null) {
            return;
        }
        String raw = ctx.queryParam("symbols");
        if (raw == null || raw.isBlank()) {
            error(ctx, 400, ErrorCode.INVALID_MESSAGE, "Query parameter 'symbols' is required, e.g. ?symbols=AAPL,MSFT");
            return;
        }
        Set<String> symbols = new LinkedHashSet<>();
        for (String s : raw.split(",")) {
            if (s.isBlank()) {
                continue;
            }
            Optional<String> n = Symbols.normalize(s);
            if (n.isEmpty()) {
                error(ctx, 400, ErrorCode.INVALID_SYMBOL, "Not a symbol: " + s.trim());
                return;
            }
            symbols.add(n.get());
        }
        if (symbols.size() > maxSymbols) {
            error(ctx, 400, ErrorCode.SUBSCRIPTION_LIMIT_EXCEEDED, "At most " + maxSymbols + " symbols per request");
            return;
        }
        List<StockQuote> quotes = new ArrayList<>();
        symbols.stream().filter(principal::allows).forEach(s -> latest.apply(s).ifPresent(quotes::add));
        json(ctx, 200, quotes);
    }

    /** Every symbol the edge has a quote for and the token allows, sorted, with its last price. */
    private void symbols(Context ctx) {
        Principal principal = authorize(ctx);
        if (principal == null) {
            return;
        }
        List<Map<String, Object>> out = new ArrayList<>();
        new TreeMap<>(all.get()).forEach((symbol, q) -> {
            if (!principal.allows(symbol)) {
                return;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("symbol", symbol);
            row.put("price", q.price());
            row.put("timestamp", q.timestamp());
            out.add(row);
        });
        json(ctx, 200, out);
    }

    /** The caller's principal; null once a 401 is written. */
    private Principal authorize(Context ctx) {
        if (authenticator == null) {
            return Principal.ANONYMOUS;
        }
        String header = ctx.header("Authorization");
        String token = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).trim() : null;
        TokenAuthenticator.Verdict verdict = authenticator.verify(token);
        if (verdict.ok()) {
            return verdict.principal();
        }
        // RFC 6750: say which scheme, and whether the token presented was the problem
        ctx.header("WWW-Authenticate", token == null ? "Bearer" : "Bearer error=\"invalid_token\"");
        error(ctx, 401, ErrorCode.UNAUTHORIZED, verdict.failure() == TokenAuthenticator.Failure.MISSING
                ? "A token is required: send Authorization: Bearer <token>" : "Token " + verdict.failure().reason());
        return null;
    }

    static void error(Context ctx, int status, ErrorCode code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "error");
        body.put("code", code.name());
        body.put("message", message);
        body.put("timestamp", Instant.now());
        json(ctx, status, body);
    }

    static void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType("application/json").result(JsonCodec.toJson(body));
    }

    static List<String> split(String csv) {
        return csv == null ? List.of() : Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}

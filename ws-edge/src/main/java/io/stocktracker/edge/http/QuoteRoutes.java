package io.stocktracker.edge.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.stocktracker.edge.security.TokenAuthenticator;
import io.stocktracker.edge.security.TokenAuthenticator.Principal;
import io.stocktracker.edge.universe.SymbolAdmission;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.ErrorCode;
import io.stocktracker.schemas.model.StockQuote;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** The REST polling fallback, served from the edge's latest-value cache (no backend call per request). */
public final class QuoteRoutes {

    private final Function<String, Optional<StockQuote>> latest;
    private final Supplier<Map<String, StockQuote>> all;
    private final int maxSymbols;
    /** The symbol universe: an unlisted symbol is answered as such, never looked up. */
    private final Predicate<String> listed;
    private final BearerAuth auth;

    /** @param authenticator null with AUTH_MODE=none: every request is answered */
    public QuoteRoutes(Function<String, Optional<StockQuote>> latest, Supplier<Map<String, StockQuote>> all, int maxSymbols,
                       Predicate<String> listed, TokenAuthenticator authenticator) {
        this.latest = latest;
        this.all = all;
        this.maxSymbols = maxSymbols;
        this.listed = listed;
        this.auth = new BearerAuth(authenticator);
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
        SymbolQuery query = SymbolQuery.ofPath(ctx.pathParam("symbol"));
        if (query.error() != null) {
            error(ctx, 400, query.error(), query.message());
            return;
        }
        String symbol = query.symbols().get(0);
        if (!listed.test(symbol)) {
            error(ctx, 404, ErrorCode.INVALID_SYMBOL, SymbolAdmission.notListed(symbol));
            return;
        }
        if (!principal.allows(symbol)) {
            error(ctx, 403, ErrorCode.FORBIDDEN_SYMBOL, "Your token does not allow " + symbol);
            return;
        }
        Optional<StockQuote> quote = latest.apply(symbol);
        if (quote.isEmpty()) {
            json(ctx, 404, Map.of("message", "Unknown symbol: " + symbol, "symbol", symbol));
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
        SymbolQuery query = SymbolQuery.ofList(ctx.queryParam("symbols"), maxSymbols);
        if (query.error() != null) {
            error(ctx, 400, query.error(), query.message());
            return;
        }
        for (String symbol : query.symbols()) {
            if (!listed.test(symbol)) {
                error(ctx, 400, ErrorCode.INVALID_SYMBOL, SymbolAdmission.notListed(symbol));
                return;
            }
        }
        List<StockQuote> quotes = new ArrayList<>();
        query.symbols().stream().filter(principal::allows).forEach(s -> latest.apply(s).ifPresent(quotes::add));
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

    private Principal authorize(Context ctx) {
        return auth.authorize(ctx);
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

package io.stocktracker.edge.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.stocktracker.edge.bars.BarRange;
import io.stocktracker.edge.bars.Bars;
import io.stocktracker.edge.security.TokenAuthenticator;
import io.stocktracker.edge.security.TokenAuthenticator.Principal;
import io.stocktracker.edge.universe.SymbolAdmission;
import io.stocktracker.schemas.contract.ErrorCode;
import io.stocktracker.schemas.model.Bar;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** {@code GET /api/bars/{symbol}?from=&to=}: the session's closed 1-minute bars, from the edge's bar store. */
public final class BarRoutes {
    private final Bars bars;
    private final Predicate<String> listed;
    private final BearerAuth auth;
    private final Clock clock;

    /** @param authenticator null with AUTH_MODE=none */
    public BarRoutes(Bars bars, Predicate<String> listed, TokenAuthenticator authenticator, Clock clock) {
        this.bars = bars;
        this.listed = listed;
        this.auth = new BearerAuth(authenticator);
        this.clock = clock;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/bars/{symbol}", this::bars);
    }

    private void bars(Context ctx) {
        Principal principal = auth.authorize(ctx);
        if (principal == null) {
            return;
        }
        SymbolQuery query = SymbolQuery.ofPath(ctx.pathParam("symbol"));
        if (query.error() != null) {
            QuoteRoutes.error(ctx, 400, query.error(), query.message());
            return;
        }
        String symbol = query.symbols().get(0);
        if (!listed.test(symbol)) {
            QuoteRoutes.error(ctx, 404, ErrorCode.INVALID_SYMBOL, SymbolAdmission.notListed(symbol));
            return;
        }
        if (!principal.allows(symbol)) {
            QuoteRoutes.error(ctx, 403, ErrorCode.FORBIDDEN_SYMBOL, "Your token does not allow " + symbol);
            return;
        }
        BarRange range = BarRange.parse(ctx.queryParam("from"), ctx.queryParam("to"), clock.instant(), bars.session());
        if (range.error() != null) {
            QuoteRoutes.error(ctx, 400, range.error(), range.message());
            return;
        }
        List<Bar> found = bars.store().range(symbol, range.from(), range.to());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("symbol", symbol);
        body.put("from", range.from());
        body.put("to", range.to());
        // false while the edge is still reading the session's bars at start: ask again shortly for the rest
        body.put("complete", bars.complete());
        body.put("bars", found);
        QuoteRoutes.json(ctx, 200, body);
    }
}

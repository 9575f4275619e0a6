package io.stocktracker.edge.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.stocktracker.edge.alerts.AlertRequests;
import io.stocktracker.edge.alerts.PriceAlerts;
import io.stocktracker.edge.security.TokenAuthenticator;
import io.stocktracker.edge.security.TokenAuthenticator.Principal;
import io.stocktracker.schemas.contract.ErrorCode;
import io.stocktracker.schemas.ws.ErrorMessage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Price alerts for the polling fallback (AUTH_MODE=jwt, Bearer token): {@code GET /api/alerts} answers the user's
 * alerts not fired yet and those fired but not acknowledged; {@code DELETE /api/alerts/pending/{alertId}} acknowledges
 * one, as the socket's {@code ack}. Without authentication alerts live on a connection: there is nothing to fetch.
 */
public final class AlertRoutes {
    private final PriceAlerts alerts;
    private final BearerAuth auth;

    public AlertRoutes(PriceAlerts alerts, TokenAuthenticator authenticator) {
        this.alerts = alerts;
        this.auth = new BearerAuth(authenticator);
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/alerts", this::list);
        routes.delete("/api/alerts/pending/{alertId}", this::acknowledge);
    }

    private void list(Context ctx) {
        String user = user(ctx);
        if (user == null) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("alerts", alerts.active(user));
        body.put("pending", alerts.pending(user));
        QuoteRoutes.json(ctx, 200, body);
    }

    private void acknowledge(Context ctx) {
        String user = user(ctx);
        if (user == null) {
            return;
        }
        String alertId = ctx.pathParam("alertId");
        ErrorMessage bad = AlertRequests.badAlertId(alertId);
        if (bad != null) {
            QuoteRoutes.error(ctx, 400, bad.code(), bad.message());
            return;
        }
        try {
            alerts.acknowledge(user, alertId).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            QuoteRoutes.error(ctx, 503, ErrorCode.INTERNAL_ERROR, "The acknowledgement could not be stored; try again");
            return;
        }
        ctx.status(204);
    }

    /** The token's subject; null once an answer (401, or 400 without authentication) is written. */
    private String user(Context ctx) {
        if (!alerts.perUser()) {
            QuoteRoutes.error(ctx, 400, ErrorCode.UNSUPPORTED_ACTION,
                    "alerts over REST need AUTH_MODE=jwt; without it alerts live on a WebSocket connection");
            return null;
        }
        Principal principal = auth.authorize(ctx);
        return principal == null ? null : principal.subject();
    }
}

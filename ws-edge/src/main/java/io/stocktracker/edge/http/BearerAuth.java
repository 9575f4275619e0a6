package io.stocktracker.edge.http;

import io.javalin.http.Context;
import io.stocktracker.edge.security.TokenAuthenticator;
import io.stocktracker.edge.security.TokenAuthenticator.Principal;
import io.stocktracker.schemas.contract.ErrorCode;

/** {@code Authorization: Bearer <token>} on the REST routes (AUTH_MODE=jwt), checked by the WebSocket's verifier. */
final class BearerAuth {
    private static final String BEARER = "Bearer ";

    private final TokenAuthenticator authenticator;

    /** @param authenticator null with AUTH_MODE=none: every request is anonymous */
    BearerAuth(TokenAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    /** The caller's principal; null once a 401 is written. */
    Principal authorize(Context ctx) {
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
        QuoteRoutes.error(ctx, 401, ErrorCode.UNAUTHORIZED, verdict.failure() == TokenAuthenticator.Failure.MISSING
                ? "A token is required: send Authorization: Bearer <token>" : "Token " + verdict.failure().reason());
        return null;
    }
}

package io.stocktracker.schemas.contract;

/** Every error code a client or a Redis consumer can see, with its meaning. The one table. */
public enum ErrorCode {
    INVALID_MESSAGE("The frame is not valid JSON, lacks a required field, or a `subscribe` has a bad option (the message names it)."),
    UNSUPPORTED_ACTION("The action is not one of subscribe, unsubscribe, ping, refresh, alert (refresh needs AUTH_MODE=jwt)."),
    INVALID_SYMBOL("A symbol does not match the symbol pattern, or is not a listed symbol (not in the symbol universe)."),
    INVALID_RANGE("A REST time range is not ISO-8601 (from/to), is empty or reversed, or spans more than one session (GET /api/bars)."),
    SUBSCRIPTION_FAILED("A symbol could not be subscribed (unknown to every source, or a source failed)."),
    SUBSCRIPTION_LIMIT_EXCEEDED("The connection would hold more subscriptions than allowed, or a message named too many symbols."),
    ACTIVE_SYMBOL_LIMIT_EXCEEDED("The edge, or the whole cluster, already streams as many distinct symbols as allowed; a symbol nobody streams yet was refused."),
    ALERT_LIMIT_EXCEEDED("The connection (AUTH_MODE=none) or the user (AUTH_MODE=jwt, by token tier) already holds as many alerts as allowed; none was created."),
    RATE_LIMIT_EXCEEDED("The connection, or its user across connections, sent more messages than its rate allows; the message was dropped."),
    MESSAGE_TOO_LARGE("The frame is larger than the maximum frame size."),
    UNAUTHORIZED("The connection did not present a valid token, its token expired, or a refresh token was refused."),
    FORBIDDEN_SYMBOL("The token does not allow this symbol."),
    FORBIDDEN_ORIGIN("The page's origin may not open a WebSocket to this edge (HTTP 403 before the upgrade)."),
    SLOW_CONSUMER("The client fell too far behind the feed; it is being disconnected."),
    SOURCE_UNAVAILABLE("Every quote source failed for this symbol; data may be stale (Redis updates channel)."),
    INTERNAL_ERROR("The server failed to handle the message; nothing was changed.");

    private final String meaning;

    ErrorCode(String meaning) {
        this.meaning = meaning;
    }

    public String meaning() {
        return meaning;
    }
}

package io.stocktracker.schemas.contract;

/** WebSocket close codes the edge uses, with when. The one table. */
public enum CloseCode {
    NORMAL(1000, "Client asked to close."),
    GOING_AWAY(1001, "The edge is shutting down or draining: reconnect, possibly to another edge."),
    POLICY_VIOLATION(1008, "Abuse past a limit: too many invalid or rate-limited messages."),
    MESSAGE_TOO_BIG(1009, "Repeated frames over the maximum size."),
    INTERNAL_ERROR(1011, "The edge failed unexpectedly."),
    TRY_AGAIN_LATER(1013, "The edge, your address or your user is at its connection limit."),
    HEARTBEAT_TIMEOUT(4000, "No pong within the heartbeat timeout: the connection is stale."),
    UNAUTHORIZED(4001, "Missing or invalid token, or the token expired without a refresh."),
    SLOW_CONSUMER(4008, "The client stayed behind the feed past the slow-consumer limit."),
    IDLE_UNSUBSCRIBED(4009, "The connection held no subscription for longer than the idle limit.");

    private final int code;
    private final String meaning;

    CloseCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }
}

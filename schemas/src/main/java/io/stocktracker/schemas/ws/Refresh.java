package io.stocktracker.schemas.ws;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Extension: {@code {"action":"refresh","token":"<JWT>"}} replaces the connection's token before it expires
 * (AUTH_MODE=jwt). Answered by {@link TokenRefreshed} or an {@code error} UNAUTHORIZED.
 */
public record Refresh(@JsonProperty(required = true) String token) implements ClientMessage {
    public static final String ACTION = "refresh";

    /** Never print a credential (messages end up in logs). */
    @Override
    public String toString() {
        return "Refresh[token=" + (token == null ? "null" : "<" + token.length() + " chars>") + "]";
    }
}

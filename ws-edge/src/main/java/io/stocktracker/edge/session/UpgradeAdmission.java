package io.stocktracker.edge.session;

import io.stocktracker.edge.security.AdmissionRate;
import io.stocktracker.edge.security.ConnectionLimiter;
import io.stocktracker.edge.security.OriginPolicy;
import io.stocktracker.schemas.contract.ErrorCode;
import java.util.function.BooleanSupplier;

/**
 * The checks an upgrade passes before anything is allocated for it, cheapest first, all answered over plain HTTP
 * (the socket is then closed, so a refusal holds nothing): the edge is accepting (503), the page's origin is allowed
 * (403), the address has not opened connections faster than its rate (429), the address and the edge are under their
 * connection caps (429 / 503). The token is verified only after these, on the request thread, by the servlet's creator.
 */
final class UpgradeAdmission {
    /** The HTTP answer to a refused upgrade; {@code retryAfterSeconds} 0 = no {@code Retry-After}. */
    record Refusal(int status, ErrorCode code, String message, long retryAfterSeconds) {
    }

    /** What passed: the client's address, holding one {@link ConnectionLimiter} slot until released. */
    static final class Slot {
        final String ip;
        private boolean owned;

        Slot(String ip) {
            this.ip = ip;
        }

        /** A socket was created that releases the slot when it closes. */
        void handOver() {
            owned = true;
        }

        boolean handedOver() {
            return owned;
        }
    }

    private final BooleanSupplier accepting;
    private final OriginPolicy origins;
    private final AdmissionRate rate;
    private final ConnectionLimiter limiter;

    UpgradeAdmission(BooleanSupplier accepting, OriginPolicy origins, AdmissionRate rate, ConnectionLimiter limiter) {
        this.accepting = accepting;
        this.origins = origins;
        this.rate = rate;
        this.limiter = limiter;
    }

    /** Null when admitted (the caller then holds a limiter slot for {@code ip}), else the refusal to answer. */
    Refusal check(String ip, String origin, String host) {
        if (!accepting.getAsBoolean()) {
            return new Refusal(503, ErrorCode.RATE_LIMIT_EXCEEDED, "Edge is draining; connect again (another edge will take you)", 1);
        }
        if (!origins.allows(origin, host)) {
            return new Refusal(403, ErrorCode.FORBIDDEN_ORIGIN, "Origin not allowed: " + truncate(origin), 0);
        }
        if (!rate.tryAdmit(ip, System.nanoTime())) {
            return new Refusal(429, ErrorCode.RATE_LIMIT_EXCEEDED, "Too many new connections from your address; try again later",
                    rate.retryAfterSeconds());
        }
        return switch (limiter.tryAcquire(ip)) {
            case ACQUIRED -> null;
            case ADDRESS_FULL -> new Refusal(429, ErrorCode.RATE_LIMIT_EXCEEDED,
                    "Too many connections from your address; close one and try again", rate.retryAfterSeconds());
            case EDGE_FULL -> new Refusal(503, ErrorCode.RATE_LIMIT_EXCEEDED, "Edge at its connection limit; try again later", 5);
        };
    }

    private static String truncate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }
}

package io.stocktracker.edge.http;

import io.stocktracker.edge.security.TrustedProxies;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * Who sent a request and whether it arrived over TLS, once {@code TRUSTED_PROXIES} has been applied. Every place the
 * edge needs the client's address (per-IP connection cap, logs) or its scheme (HTTPS enforcement, HSTS) asks this.
 *
 * @param clientIp the client's address (canonical text form), see {@link TrustedProxies#clientAddress}
 * @param secure the client used https/wss: TLS on this edge, or {@code X-Forwarded-Proto: https} from a trusted proxy
 * @param viaTrustedProxy the socket peer is a trusted proxy (so the public port is the proxy's, not the edge's)
 */
public record RequestOrigin(String clientIp, boolean secure, boolean viaTrustedProxy) {

    public static RequestOrigin of(HttpServletRequest request, TrustedProxies proxies) {
        String peer = request.getRemoteAddr();
        if (proxies.isEmpty()) {
            return new RequestOrigin(proxies.clientAddress(peer, null, null), request.isSecure(), false);
        }
        String forwarded = joined(request, "Forwarded");
        String clientIp = proxies.clientAddress(peer, joined(request, "X-Forwarded-For"), forwarded);
        boolean forwardedHttps = proxies.forwardedProto(peer, joined(request, "X-Forwarded-Proto"), forwarded)
                .map("https"::equals).orElse(false);
        return new RequestOrigin(clientIp, request.isSecure() || forwardedHttps, proxies.trusts(peer));
    }

    /** Several lines of one header are one comma-separated list (RFC 9110 5.3). */
    private static String joined(HttpServletRequest request, String name) {
        Enumeration<String> values = request.getHeaders(name);
        if (values == null || !values.hasMoreElements()) {
            return null;
        }
        List<String> all = Collections.list(values);
        return all.size() == 1 ? all.get(0) : String.join(",", all);
    }
}

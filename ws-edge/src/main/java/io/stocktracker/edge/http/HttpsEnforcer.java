package io.stocktracker.edge.http;

import io.stocktracker.edge.security.TransportSecurity;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * A servlet filter in front of everything the edge serves (Javalin's routes and the {@code /ws} servlet alike):
 * {@code Strict-Transport-Security} on https responses and, with {@code REQUIRE_HTTPS}, plain HTTP turned away:
 * a page or REST request gets 308 to the same URL over https (308, not 301: the method and body are kept), a
 * WebSocket upgrade gets 403 with a text body (a WebSocket client does not follow redirects; a page served over
 * https could not open ws:// anyway, browsers block it as mixed content).
 */
public final class HttpsEnforcer implements Filter {
    /**
     * Answered over plain HTTP even when HTTPS is required: orchestrator probes and the Prometheus scrape run on the
     * internal network, usually cannot verify the edge's certificate, and do not follow redirects (a 308 would read as
     * "down"). They reveal nothing a client could misuse.
     */
    public static final Set<String> PLAIN_HTTP_PATHS = Set.of("/health", "/ready", "/metrics");
    public static final String HSTS_HEADER = "Strict-Transport-Security";

    private final TransportSecurity settings;
    private final IntSupplier tlsPort;
    private final String hstsValue;
    private final Runnable onRefusedUpgrade;

    /**
     * @param tlsPort the bound port of the edge's own TLS listener, or a value <= 0 when it has none
     * @param onRefusedUpgrade counts a plain WebSocket upgrade turned away (a rejected connection)
     */
    public HttpsEnforcer(TransportSecurity settings, IntSupplier tlsPort, Runnable onRefusedUpgrade) {
        this.settings = settings;
        this.tlsPort = tlsPort;
        this.onRefusedUpgrade = onRefusedUpgrade;
        this.hstsValue = "max-age=" + settings.hstsMaxAge().toSeconds();
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        RequestOrigin origin = RequestOrigin.of(request, settings.trustedProxies());
        if (origin.secure()) {
            if (!settings.hstsMaxAge().isZero()) {
                response.setHeader(HSTS_HEADER, hstsValue);
            }
            chain.doFilter(req, res);
            return;
        }
        if (!settings.requireHttps() || PLAIN_HTTP_PATHS.contains(request.getRequestURI())) {
            chain.doFilter(req, res);
            return;
        }
        String target = httpsUrl(request, origin);
        if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
            onRefusedUpgrade.run();
            refuse(response, 403, "WebSocket over plain HTTP is refused: connect to " + target.replaceFirst("^https", "wss"));
            return;
        }
        response.setHeader("Location", target);
        refuse(response, 308, "This service is served over HTTPS: " + target);
    }

    /** The same URL over https. Behind a trusted proxy the public port is the proxy's (443); directly, the edge's. */
    String httpsUrl(HttpServletRequest request, RequestOrigin origin) {
        String host = request.getServerName();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        int port = origin.viaTrustedProxy() ? 443 : tlsPort.getAsInt();
        String query = request.getQueryString();
        return "https://" + host + (port <= 0 || port == 443 ? "" : ":" + port) + request.getRequestURI()
                + (query == null ? "" : "?" + query);
    }

    private static void refuse(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain; charset=utf-8");
        response.getOutputStream().write((message + "\n").getBytes(StandardCharsets.UTF_8));
    }
}

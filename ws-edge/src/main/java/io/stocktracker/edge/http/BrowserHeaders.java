package io.stocktracker.edge.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.regex.Pattern;

/**
 * A servlet filter in front of everything the edge serves: the headers that keep a browser from being turned against
 * the UI. The bundled app loads only its own scripts and styles (Vite output, no inline code; {@code /config.js} is a
 * file), so {@code script-src 'self'} costs it nothing and blocks injected script; it talks only to this origin's
 * {@code /api} and to WebSockets on its own host name (and {@code VITE_WS_URL} when set); nobody may frame it (clickjacking); URLs, which may
 * carry {@code ?token=}, never leave in a {@code Referer}.
 */
public final class BrowserHeaders implements Filter {
    public static final String CSP = "Content-Security-Policy";
    /** A Host header this simple can be written into the policy; anything else is left out rather than escaped. */
    private static final Pattern PLAIN_HOST = Pattern.compile("[A-Za-z0-9.\\-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+](:\\d{1,5})?");

    private final String extraConnect;

    /** @param wsUrl {@code VITE_WS_URL} (null when the app connects to its own origin) */
    public BrowserHeaders(String wsUrl) {
        this.extraConnect = wsUrl == null ? "" : " " + originOf(wsUrl);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletResponse response = (HttpServletResponse) res;
        response.setHeader("X-Content-Type-Options", "nosniff");
        // frame-ancestors below is the standard; X-Frame-Options for browsers that predate it
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader(CSP, policy(((HttpServletRequest) req).getHeader("Host")));
        chain.doFilter(req, res);
    }

    /**
     * {@code connect-src 'self'} covers ws:/wss: to the same host only in CSP level 3 browsers; the explicit ws:// and
     * wss:// of the page's own host name cover the rest, on any port: the edge's TLS port, or a proxy in front of /ws
     * on a port of its own.
     */
    String policy(String host) {
        String name = host == null || !PLAIN_HOST.matcher(host).matches() ? null
                : host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1) : host.replaceFirst(":\\d+$", "");
        String sameHostSockets = name == null ? "" : " ws://" + name + ":* wss://" + name + ":*";
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
                + "connect-src 'self'" + sameHostSockets + extraConnect + "; "
                + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
    }

    private static String originOf(String url) {
        URI u = URI.create(url.trim());
        if (u.getScheme() == null || u.getHost() == null) {
            throw new IllegalArgumentException("VITE_WS_URL is not an absolute ws:// or wss:// URL: " + url);
        }
        return u.getScheme() + "://" + u.getHost() + (u.getPort() == -1 ? "" : ":" + u.getPort());
    }
}

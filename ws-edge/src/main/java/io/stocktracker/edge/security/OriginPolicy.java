package io.stocktracker.edge.security;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which pages may open {@code /ws} ({@code ALLOWED_ORIGINS}): a browser sends its page's {@code Origin} with every
 * upgrade, and WebSockets are not covered by CORS, so without this check any site a user visits could open a socket
 * to the edge in the user's name (cross-site WebSocket hijacking: the browser attaches the edge's cookies, and a
 * token in a page's storage is not needed for public data). Allowed: no {@code Origin} at all (not a browser: scripts,
 * the load generator, probes), the edge's own origin (the page it served), every origin listed, and with {@code *}
 * listed, everything. Pure: the servlet hands it the header values.
 */
public final class OriginPolicy {
    private final boolean any;
    private final Set<String> listed;

    private OriginPolicy(boolean any, Set<String> listed) {
        this.any = any;
        this.listed = listed;
    }

    /** @param allowedOrigins entries like {@code https://app.example.com} or {@code http://localhost:5173}, or {@code *} */
    public static OriginPolicy of(List<String> allowedOrigins) {
        boolean any = allowedOrigins.contains("*");
        Set<String> listed = allowedOrigins.stream().filter(o -> !"*".equals(o)).map(o -> {
            String n = normalize(o);
            if (n == null) {
                throw new IllegalArgumentException("ALLOWED_ORIGINS entry is not an origin (scheme://host[:port]): " + o);
            }
            return n;
        }).collect(Collectors.toUnmodifiableSet());
        return new OriginPolicy(any, listed);
    }

    /**
     * @param origin the request's {@code Origin} header (null when absent)
     * @param host the request's {@code Host} header: the authority the browser connected to (through a proxy that
     *             passes it unchanged, {@code proxy_set_header Host $http_host})
     */
    public boolean allows(String origin, String host) {
        if (origin == null || any) {
            return true;
        }
        String o = normalize(origin);
        if (o == null) {
            return false; // "null" (sandboxed frames, file: pages) and garbage are no page of ours
        }
        return listed.contains(o) || sameAuthority(o, host);
    }

    /**
     * Same host and port. A Host header without a port matches the origin's default port for its scheme: behind a
     * TLS-terminating proxy the edge may see plain HTTP for an https page, and the scheme alone must not refuse it.
     */
    private static boolean sameAuthority(String origin, String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        URI o = URI.create(origin);
        URI h;
        try {
            h = new URI("http://" + host.trim());
        } catch (Exception e) {
            return false;
        }
        if (h.getHost() == null || !h.getHost().equalsIgnoreCase(o.getHost())) {
            return false;
        }
        int originPort = o.getPort() != -1 ? o.getPort() : defaultPort(o.getScheme());
        return h.getPort() == -1 ? originPort == 80 || originPort == 443 : h.getPort() == originPort;
    }

    /** scheme://host[:port] in lower case without a default port, or null when it is not such an origin. */
    static String normalize(String origin) {
        try {
            URI u = new URI(origin.trim());
            String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
            if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null
                    || u.getRawUserInfo() != null || !(u.getRawPath() == null || u.getRawPath().isEmpty() || "/".equals(u.getRawPath()))
                    || u.getRawQuery() != null || u.getRawFragment() != null) {
                return null;
            }
            int port = u.getPort();
            String host = u.getHost().toLowerCase(Locale.ROOT);
            return scheme + "://" + host + (port == -1 || port == defaultPort(scheme) ? "" : ":" + port);
        } catch (Exception e) {
            return null;
        }
    }

    private static int defaultPort(String scheme) {
        return "https".equals(scheme) ? 443 : 80;
    }
}

package io.stocktracker.edge.session;

import io.stocktracker.edge.EdgeConfig;
import io.stocktracker.edge.EdgeMetrics;
import io.stocktracker.edge.http.RequestOrigin;
import io.stocktracker.edge.protocol.ProtocolCodec;
import io.stocktracker.edge.protocol.WireFormat;
import io.stocktracker.edge.security.ConnectionLimiter;
import io.stocktracker.edge.security.TokenAuthenticator;
import io.stocktracker.edge.security.UserQuotas;
import io.stocktracker.edge.security.TokenAuthenticator.Principal;
import io.stocktracker.schemas.contract.CloseCode;
import io.stocktracker.schemas.contract.ErrorCode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.server.JettyServerUpgradeRequest;
import org.eclipse.jetty.ee10.websocket.server.JettyServerUpgradeResponse;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;

/**
 * The {@code /ws} endpoint, mounted as a plain Jetty WebSocket servlet next to Javalin's HTTP routes. It does
 * not go through Javalin's {@code ws} route because that one (a) opens an HttpSession per upgrade and (b) hides
 * pong frames, and the edge needs neither the leak nor the blindness.
 */
public final class EdgeWebSocketServlet extends JettyWebSocketServlet {
    public static final String PATH = "/ws";
    /** Query parameter a reconnecting client may send with its previous clientId (counted as a reconnection). */
    public static final String RESUME_PARAM = "clientId";
    public static final String TOKEN_PARAM = "token";

    private final EdgeConfig config;
    private final ConnectionManager connections;
    private final ClientMessageHandler handler;
    private final ConnectionLimiter limiter;
    private final EdgeMetrics metrics;
    private final TokenAuthenticator authenticator;
    private final BooleanSupplier accepting;

    public EdgeWebSocketServlet(EdgeConfig config, ConnectionManager connections, ClientMessageHandler handler,
                                ConnectionLimiter limiter, EdgeMetrics metrics, BooleanSupplier accepting) {
        this.config = config;
        this.connections = connections;
        this.handler = handler;
        this.limiter = limiter;
        this.metrics = metrics;
        this.accepting = accepting;
        this.authenticator = connections.authenticator();
    }

    @Override
    protected void configure(JettyWebSocketServletFactory factory) {
        // the heartbeat decides staleness; Jetty's idle timeout is only the backstop
        factory.setIdleTimeout(config.heartbeatTimeout().plus(config.heartbeatInterval()).plus(Duration.ofSeconds(5)));
        // frames between MAX_FRAME_BYTES and this hard cap get a MESSAGE_TOO_LARGE error; beyond it Jetty closes with 1009
        long hardCap = Math.max(64 * 1024L, config.maxFrameBytes() * 16L);
        factory.setMaxTextMessageSize(hardCap);
        factory.setMaxBinaryMessageSize(hardCap);
        factory.setCreator(this::create);
        if (!config.permessageDeflate()) {
            // every browser offers it; removing it from this context's registry means it is never negotiated
            WebSocketServerComponents.getWebSocketComponents(ServletContextHandler.getServletContextHandler(getServletContext()))
                    .getExtensionRegistry().unregister("permessage-deflate");
        }
    }

    private Object create(JettyServerUpgradeRequest req, JettyServerUpgradeResponse resp) throws Exception {
        if (!accepting.getAsBoolean()) {
            metrics.rejectedConnections.increment();
            resp.sendError(503, "Edge is draining");
            return null;
        }
        List<String> offered = req.getSubProtocols();
        WireFormat format = WireFormat.negotiate(offered).orElse(WireFormat.JSON);
        if (offered.contains(format.subprotocol())) {
            resp.setAcceptedSubProtocol(format.subprotocol());
        }
        // behind a trusted proxy, the client it forwards for (the per-IP cap and the logs count clients, not proxies)
        String ip = RequestOrigin.of(req.getHttpServletRequest(), config.transport().trustedProxies()).clientIp();
        if (firstParam(req, RESUME_PARAM).isPresent()) {
            metrics.reconnections.increment();
        }
        Principal principal = Principal.ANONYMOUS;
        if (authenticator != null) {
            String token = firstParam(req, TOKEN_PARAM).orElseGet(() -> offered.stream()
                    .filter(p -> p.startsWith(ProtocolCodec.BEARER_PROTOCOL_PREFIX))
                    .map(p -> p.substring(ProtocolCodec.BEARER_PROTOCOL_PREFIX.length())).findFirst().orElse(null));
            TokenAuthenticator.Verdict verdict = authenticator.verify(token);
            if (!verdict.ok()) {
                metrics.rejectedConnections.increment();
                metrics.error(ErrorCode.UNAUTHORIZED);
                metrics.closed(CloseCode.UNAUTHORIZED);
                return new ClientSocket.Refused(ErrorCode.UNAUTHORIZED, CloseCode.UNAUTHORIZED,
                        verdict.failure() == TokenAuthenticator.Failure.MISSING ? "A token is required"
                                : "Token " + verdict.failure().reason(), r -> { });
            }
            principal = verdict.principal();
        }
        if (!limiter.tryAcquire(ip)) {
            metrics.rejectedConnections.increment();
            metrics.closed(CloseCode.TRY_AGAIN_LATER);
            return new ClientSocket.Refused(ErrorCode.RATE_LIMIT_EXCEEDED, CloseCode.TRY_AGAIN_LATER,
                    "Too many connections; try again later", r -> { });
        }
        String subject = principal.subject();
        // this edge's count first (no I/O); then, with AUTH_MODE=jwt, the user's count across edges in Redis: a bounded
        // wait on this request thread (the servlet upgrade runs on Jetty's pool, not on a selector)
        UserQuotas.Admission admission = connections.users().acquireConnection(subject);
        if (!admission.admitted()) {
            limiter.release(ip);
            metrics.rejectedConnections.increment();
            metrics.closed(CloseCode.TRY_AGAIN_LATER);
            connections.securityMetrics().userConnectionRefusals.increment();
            return new ClientSocket.Refused(ErrorCode.RATE_LIMIT_EXCEEDED, CloseCode.TRY_AGAIN_LATER,
                    "Too many connections for this user (at most " + connections.users().maxConnectionsPerUser()
                            + (admission == UserQuotas.Admission.REFUSED_IN_CLUSTER ? " across all servers" : "")
                            + "); close one and try again", r -> { });
        }
        return new ClientSocket(connections, handler, ip, format, principal, () -> {
            limiter.release(ip);
            connections.users().release(subject);
        });
    }

    private static Optional<String> firstParam(JettyServerUpgradeRequest req, String name) {
        List<String> values = req.getParameterMap().get(name);
        return values == null || values.isEmpty() || values.get(0).isBlank() ? Optional.empty() : Optional.of(values.get(0));
    }
}

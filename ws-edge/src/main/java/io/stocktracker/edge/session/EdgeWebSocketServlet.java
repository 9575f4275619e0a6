package io.stocktracker.edge.session;

import io.stocktracker.edge.EdgeConfig;
import io.stocktracker.edge.EdgeMetrics;
import io.stocktracker.edge.http.RequestOrigin;
import io.stocktracker.edge.protocol.ProtocolCodec;
import io.stocktracker.edge.protocol.WireFormat;
import io.stocktracker.edge.security.AdmissionRate;
import io.stocktracker.edge.security.ConnectionLimiter;
import io.stocktracker.edge.security.OriginPolicy;
import io.stocktracker.edge.security.TokenAuthenticator;
import io.stocktracker.edge.security.UserAccess;
import io.stocktracker.edge.security.UserQuotas;
import io.stocktracker.edge.security.TokenAuthenticator.Principal;
import io.stocktracker.schemas.contract.CloseCode;
import io.stocktracker.schemas.contract.ErrorCode;
import io.stocktracker.schemas.ws.ErrorMessage;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.ee10.websocket.server.JettyServerUpgradeRequest;
import org.eclipse.jetty.ee10.websocket.server.JettyServerUpgradeResponse;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;
import org.eclipse.jetty.io.EndPoint;
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
    private static final String SLOT_ATTRIBUTE = UpgradeAdmission.Slot.class.getName();

    private final EdgeConfig config;
    private final ConnectionManager connections;
    private final ClientMessageHandler handler;
    private final ConnectionLimiter limiter;
    private final EdgeMetrics metrics;
    private final TokenAuthenticator authenticator;
    private final UpgradeAdmission admission;
    private final UserAccess access;

    public EdgeWebSocketServlet(EdgeConfig config, ConnectionManager connections, ClientMessageHandler handler,
                                ConnectionLimiter limiter, EdgeMetrics metrics, BooleanSupplier accepting, UserAccess access) {
        this.config = config;
        this.connections = connections;
        this.handler = handler;
        this.limiter = limiter;
        this.metrics = metrics;
        this.admission = new UpgradeAdmission(accepting, OriginPolicy.of(config.admission().allowedOrigins()),
                new AdmissionRate(config.admission().ratePerSecond(), config.admission().burst(), config.ipv6ConnectionPrefix()), limiter);
        this.access = access;
        this.authenticator = access.authenticator();
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

    /**
     * Every request to {@code /ws} passes {@link UpgradeAdmission} first: a refusal there is a plain HTTP answer with a
     * JSON {@code error} body and {@code Connection: close}, so it holds no socket once written. Only an admitted request
     * reaches Jetty's upgrade (and {@link #create}), holding a connection slot that the socket it gets releases; a slot
     * nobody took over (the upgrade failed before a socket existed) is released here.
     */
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws ServletException, IOException {
        // behind a trusted proxy, the client it forwards for (the per-IP cap and the logs count clients, not proxies)
        String ip = RequestOrigin.of(req, config.transport().trustedProxies()).clientIp();
        UpgradeAdmission.Refusal refusal = admission.check(ip, req.getHeader("Origin"), req.getHeader("Host"));
        if (refusal != null) {
            metrics.rejectedConnections.increment();
            refuse(res, refusal);
            // Connection: close alone only half-closes: Jetty would keep the socket until the client hangs up or the
            // idle timeout passes, and a hostile client does neither. The answer is flushed; drop the socket soon after.
            EndPoint endPoint = ServletContextRequest.getServletContextRequest(req).getConnectionMetaData().getConnection().getEndPoint();
            connections.dropAfterLinger(endPoint::close);
            return;
        }
        UpgradeAdmission.Slot slot = new UpgradeAdmission.Slot(ip);
        req.setAttribute(SLOT_ATTRIBUTE, slot);
        try {
            super.service(req, res);
        } finally {
            if (!slot.handedOver()) {
                limiter.release(ip);
            }
        }
    }

    private static void refuse(HttpServletResponse res, UpgradeAdmission.Refusal refusal) throws IOException {
        byte[] body = ProtocolCodec.encode(ErrorMessage.of(refusal.code(), refusal.message())).getBytes(StandardCharsets.UTF_8);
        res.setStatus(refusal.status());
        res.setContentType("application/json");
        res.setContentLength(body.length);
        // the refused client gets nothing more on this connection: close it rather than keep it alive for another try
        res.setHeader("Connection", "close");
        if (refusal.retryAfterSeconds() > 0) {
            res.setHeader("Retry-After", String.valueOf(refusal.retryAfterSeconds()));
        }
        res.getOutputStream().write(body);
        res.flushBuffer();
    }

    private Object create(JettyServerUpgradeRequest req, JettyServerUpgradeResponse resp) {
        UpgradeAdmission.Slot slot = (UpgradeAdmission.Slot) req.getHttpServletRequest().getAttribute(SLOT_ATTRIBUTE);
        String ip = slot.ip;
        List<String> offered = req.getSubProtocols();
        WireFormat format = WireFormat.negotiate(offered).orElse(WireFormat.JSON);
        if (offered.contains(format.subprotocol())) {
            resp.setAcceptedSubProtocol(format.subprotocol());
        }
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
                // upgraded only to say why (a browser cannot read an HTTP 401 on an upgrade), holding its address slot
                // until the edge drops it, ConnectionManager.REFUSED_LINGER_MS later
                return refused(slot, ErrorCode.UNAUTHORIZED, CloseCode.UNAUTHORIZED,
                        verdict.failure() == TokenAuthenticator.Failure.MISSING ? "A token is required"
                                : "Token " + verdict.failure().reason());
            }
            principal = verdict.principal();
        }
        String subject = principal.subject();
        // this edge's count first (no I/O); then, with AUTH_MODE=jwt, the user's count across edges in Redis: a bounded
        // wait on this request thread (the servlet upgrade runs on Jetty's pool, not on a selector)
        UserQuotas.Admission admitted = access.users().acquireConnection(subject);
        if (!admitted.admitted()) {
            metrics.rejectedConnections.increment();
            metrics.closed(CloseCode.TRY_AGAIN_LATER);
            access.metrics().userConnectionRefusals.increment();
            return refused(slot, ErrorCode.RATE_LIMIT_EXCEEDED, CloseCode.TRY_AGAIN_LATER,
                    "Too many connections for this user (at most " + access.users().maxConnectionsPerUser()
                            + (admitted == UserQuotas.Admission.REFUSED_IN_CLUSTER ? " across all servers" : "")
                            + "); close one and try again");
        }
        slot.handOver();
        return new ClientSocket(connections, handler, ip, format, principal, () -> {
            limiter.release(ip);
            access.users().release(subject);
        });
    }

    private ClientSocket.Refused refused(UpgradeAdmission.Slot slot, ErrorCode error, CloseCode close, String reason) {
        slot.handOver();
        return new ClientSocket.Refused(error, close, reason, connections::dropAfterLinger, () -> limiter.release(slot.ip));
    }

    private static Optional<String> firstParam(JettyServerUpgradeRequest req, String name) {
        List<String> values = req.getParameterMap().get(name);
        return values == null || values.isEmpty() || values.get(0).isBlank() ? Optional.empty() : Optional.of(values.get(0));
    }
}

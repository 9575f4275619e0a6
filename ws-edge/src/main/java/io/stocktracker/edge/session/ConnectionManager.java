package io.stocktracker.edge.session;

import io.stocktracker.edge.EdgeConfig;
import io.stocktracker.edge.EdgeMetrics;
import io.stocktracker.edge.fanout.ClientQueue;
import io.stocktracker.edge.fanout.ClientQueue.PendingQuote;
import io.stocktracker.edge.protocol.ProtocolCodec;
import io.stocktracker.edge.protocol.WireFormat;
import io.stocktracker.edge.security.ConnectionLimiter;
import io.stocktracker.edge.security.SecurityMetrics;
import io.stocktracker.edge.security.TierLimits;
import io.stocktracker.edge.security.TokenAuthenticator;
import io.stocktracker.edge.security.UserQuotas;
import io.stocktracker.edge.security.RateLimiter;
import io.stocktracker.edge.security.TokenAuthenticator.Principal;
import io.stocktracker.edge.security.ViolationTracker;
import io.stocktracker.edge.subscription.SubscriptionManager;
import io.stocktracker.schemas.contract.CloseCode;
import io.stocktracker.schemas.contract.ErrorCode;
import io.stocktracker.schemas.ws.Connected;
import io.stocktracker.schemas.ws.ErrorMessage;
import io.stocktracker.schemas.ws.TokenExpiring;
import io.stocktracker.schemas.ws.ServerMessage;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The seed's ConnectionManager: accepts connections, tracks them by clientId, closes and cleans them up. */
public final class ConnectionManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConnectionManager.class);

    private final EdgeConfig config;
    private final EdgeMetrics metrics;
    private final SubscriptionManager subscriptions;
    private final ConnectionLimiter limiter;
    private final Map<String, ClientSession> connections = new ConcurrentHashMap<>();
    private final ClientQueue.Limits queueLimits;
    /** One thread for every connection's timers (close grace, token notice and expiry); cancelled tasks leave its queue. */
    private final ScheduledThreadPoolExecutor reaper = timers();
    private final UserQuotas users;
    private final SecurityMetrics securityMetrics;
    private final TierLimits tierLimits;
    private final TokenAuthenticator authenticator;
    private final TokenExpiryScheduler tokens;
    /** Socket writes run here (one task per connection at most: one write in flight), sized to the cores. */
    private final ExecutorService writers = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
            new ThreadFactory() {
                private final AtomicInteger n = new AtomicInteger();

                @Override
                public Thread newThread(Runnable r) {
                    Thread t = new Thread(r, "edge-writer-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }
            });
    private volatile BiFunction<List<PendingQuote>, WireFormat, Object> batchEncoder;
    private volatile Consumer<ClientSession> slowHandler;

    public ConnectionManager(EdgeConfig config, EdgeMetrics metrics, SubscriptionManager subscriptions, ConnectionLimiter limiter) {
        this.config = config;
        this.metrics = metrics;
        this.subscriptions = subscriptions;
        this.limiter = limiter;
        this.users = new UserQuotas(config.users().maxConnectionsPerUser(), config.users().messageRatePerSecond(),
                config.users().messageBurst(), config.users().bucketIdle().toNanos(), System::nanoTime);
        this.securityMetrics = new SecurityMetrics(metrics.registry(), users);
        boolean tokens = config.authMode() == EdgeConfig.AuthMode.jwt;
        this.tierLimits = TierLimits.of(config.users().tierSubscriptionLimits(), config.maxSubscriptions(), tokens);
        // one verifier for the upgrade, refresh and REST paths alike (one JWKS cache)
        this.authenticator = tokens ? TokenAuthenticator.create(config.jwt()) : null;
        this.tokens = new TokenExpiryScheduler(reaper, config.users().tokenRefreshWindow(), this::tokenExpiring, this::tokenExpired);
        // a refresh that narrows the symbols claim answers one error per dropped subscription, all at once
        int mostSubscriptions = Math.max(config.maxSubscriptions(),
                config.users().tierSubscriptionLimits().values().stream().mapToInt(Integer::intValue).max().orElse(0));
        this.queueLimits = new ClientQueue.Limits(config.maxPendingSymbols(),
                config.messageBurst() + config.maxViolations() + config.maxSymbolsPerMessage() * 2 + mostSubscriptions + 64,
                config.slowConsumerMaxStall().toNanos(), config.slowConsumerMaxConflations());
    }

    /** Set by the fan-out engine, which owns batching and the slow-client policy. */
    public void setDeliveryPolicy(BiFunction<List<PendingQuote>, WireFormat, Object> batchEncoder, Consumer<ClientSession> slowHandler) {
        this.batchEncoder = batchEncoder;
        this.slowHandler = slowHandler;
    }

    /** Registers an accepted socket and greets it with {@code connected}. */
    public ClientSession handleConnection(Transport transport, String remoteIp, WireFormat format, Principal principal) {
        String clientId = UUID.randomUUID().toString();
        long now = System.nanoTime();
        ClientSession session = new ClientSession(clientId, remoteIp, format, transport, principal,
                new ClientQueue(queueLimits, batch -> batchEncoder.apply(batch, format), System::nanoTime),
                new RateLimiter(config.messageRatePerSecond(), config.messageBurst(), now),
                new ViolationTracker(config.maxViolations(), config.violationWindow().toNanos()),
                // a few oversized frames are a client bug worth an error; a stream of them is an attack
                new ViolationTracker(Math.max(2, config.maxViolations() / 4), config.violationWindow().toNanos()),
                s -> slowHandler.accept(s), metrics.framesOut::increment, writers);
        connections.put(clientId, session);
        metrics.connectionsOpened.increment();
        log.debug("client {} connected from {} ({}, {})", clientId, remoteIp, format, principal.subject());
        session.send(new Connected(Connected.WELCOME, clientId, Instant.now(), config.edgeId(),
                config.heartbeatInterval().toMillis()));
        synchronized (session.tokenLock) {
            tokens.schedule(session);
        }
        return session;
    }

    /** The refresh window opened: tell the client once per token. */
    private void tokenExpiring(ClientSession session, Instant expiresAt) {
        securityMetrics.expiringNotices.increment();
        session.send(new TokenExpiring(expiresAt, Instant.now()));
    }

    /** The token the connection holds expired without a successful refresh. */
    private void tokenExpired(ClientSession session, Principal expired) {
        securityMetrics.expiredClosed.increment();
        metrics.error(ErrorCode.UNAUTHORIZED);
        log.debug("client {}: token of {} expired at {}", session.clientId(), expired.subject(), expired.expiresAt());
        dropWithError(session, ErrorMessage.of(ErrorCode.UNAUTHORIZED, "token expired"), CloseCode.UNAUTHORIZED, "Token expired");
    }

    /**
     * Swaps the connection's token for a refreshed one (same subject, checked by the caller) and replans its
     * timers. False when the connection is already closing (its token expired first).
     */
    boolean replacePrincipal(ClientSession session, Principal replacement) {
        synchronized (session.tokenLock) {
            if (session.isClosing()) {
                return false;
            }
            session.principal(replacement);
            tokens.schedule(session);
            return true;
        }
    }

    /** The socket closed (either side): forget the client and its subscriptions. */
    public void onClosed(ClientSession session) {
        if (connections.remove(session.clientId(), session)) {
            log.debug("client {} disconnected after {}", session.clientId(),
                    java.time.Duration.between(session.connectedAt(), Instant.now()));
            session.queue().clear();
            synchronized (session.tokenLock) {
                tokens.cancel(session);
            }
            subscriptions.unsubscribeAll(session.clientId());
            limiter.release(session.remoteIp());
            users.release(session.principal().subject());
        }
    }

    /**
     * How long a refused socket (told UNAUTHORIZED or over the user cap, then closed) may take to answer the close
     * before it is dropped: a client that never answers must not keep its descriptor until Jetty's idle timeout.
     */
    static final long REFUSED_LINGER_MS = 1000;

    /** Runs {@code disconnect} {@link #REFUSED_LINGER_MS} from now (a no-op on a socket closed meanwhile). */
    void dropAfterLinger(Runnable disconnect) {
        reaper.schedule(disconnect, REFUSED_LINGER_MS, TimeUnit.MILLISECONDS);
    }

    /** The seed's closeConnection(clientId, reason): a normal close. */
    public boolean closeConnection(String clientId, String reason) {
        return closeConnection(clientId, CloseCode.NORMAL, reason);
    }

    public boolean closeConnection(String clientId, CloseCode code, String reason) {
        ClientSession session = connections.get(clientId);
        if (session == null) {
            return false;
        }
        close(session, code, reason);
        return true;
    }

    /** Close handshake now; a client that does not answer it (stopped reading) is dropped after a grace period. */
    void close(ClientSession session, CloseCode code, String reason) {
        if (!session.startClosing()) {
            return;
        }
        metrics.closed(code);
        log.debug("closing {} with {}: {}", session.clientId(), code, reason);
        session.transport().close(code.code(), reason);
        reaper.schedule(() -> {
            if (session.transport().isOpen()) {
                session.transport().disconnect();
            }
            onClosed(session);
        }, Math.max(1000, config.shutdownGrace().toMillis()), TimeUnit.MILLISECONDS);
    }

    /** Last words to a client being dropped (it may not be reading, so they bypass its queue), then close. */
    public void dropWithError(ClientSession session, ServerMessage error, CloseCode code, String reason) {
        if (session.isClosing()) {
            return;
        }
        session.queue().clear();
        session.sendImmediately(error);
        close(session, code, reason);
    }

    public boolean broadcastToClient(String clientId, ServerMessage message) {
        ClientSession session = connections.get(clientId);
        if (session == null) {
            return false;
        }
        session.send(message);
        return true;
    }

    /** Serialized once, queued to every connection. */
    public void broadcastToAll(ServerMessage message) {
        String frame = ProtocolCodec.encode(message);
        connections.values().forEach(s -> s.sendJson(frame));
    }

    public Collection<ClientSession> getActiveConnections() {
        return connections.values();
    }

    public ClientSession get(String clientId) {
        return connections.get(clientId);
    }

    public int size() {
        return connections.size();
    }

    /**
     * Closes connections with no pong nor message within the heartbeat timeout and those that held no subscription
     * for {@code IDLE_UNSUBSCRIBED_TIMEOUT_MS}, and forgets sockets that are gone without a close callback. Returns how
     * many were closed.
     */
    public int cleanupStaleConnections() {
        long now = System.nanoTime();
        long timeout = config.heartbeatTimeout().toNanos();
        long idleLimit = config.admission().idleUnsubscribedTimeout().toNanos();
        int closed = 0;
        for (ClientSession s : connections.values()) {
            if (!s.transport().isOpen() && s.isClosing()) {
                onClosed(s);
            } else if (!s.isClosing() && now - s.lastSeenNanos() > timeout) {
                close(s, CloseCode.HEARTBEAT_TIMEOUT, "No pong within " + config.heartbeatTimeout().toMillis() + " ms");
                closed++;
            } else if (!s.isClosing() && idleLimit > 0) {
                // a socket that subscribes to nothing costs a descriptor and a heartbeat for no one's benefit
                if (subscriptions.holdsAny(s.clientId())) {
                    s.subscriptionsSeen(now);
                } else if (now - s.subscriptionsSeenNanos() > idleLimit) {
                    close(s, CloseCode.IDLE_UNSUBSCRIBED, "No subscription for "
                            + config.admission().idleUnsubscribedTimeout().toMillis() + " ms");
                    closed++;
                }
            }
        }
        return closed;
    }

    /** Drain or shutdown: every client is told to go elsewhere. */
    public void closeAll(CloseCode code, String reason) {
        connections.values().forEach(s -> close(s, code, reason));
    }

    public UserQuotas users() {
        return users;
    }

    public SecurityMetrics securityMetrics() {
        return securityMetrics;
    }

    /** The connections' timer thread, also where subscriptions' maxRate intervals open. */
    ScheduledExecutorService optionTimers() {
        return reaper;
    }

    public TierLimits tierLimits() {
        return tierLimits;
    }

    /** Null with AUTH_MODE=none. */
    public TokenAuthenticator authenticator() {
        return authenticator;
    }

    private static ScheduledThreadPoolExecutor timers() {
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "edge-connection-reaper");
            t.setDaemon(true);
            return t;
        });
        timers.setRemoveOnCancelPolicy(true);
        return timers;
    }

    @Override
    public void close() {
        reaper.shutdownNow();
        writers.shutdownNow();
    }
}

package io.stocktracker.edge.session;

import io.stocktracker.edge.EdgeConfig;
import io.stocktracker.edge.EdgeMetrics;
import io.stocktracker.edge.fanout.BatchEncoder;
import io.stocktracker.edge.fanout.ClientQueue;
import io.stocktracker.edge.protocol.WireFormat;
import io.stocktracker.edge.security.ConnectionLimiter;
import io.stocktracker.edge.security.RateLimiter;
import io.stocktracker.edge.security.TokenAuthenticator.Principal;
import io.stocktracker.edge.security.UserAccess;
import io.stocktracker.edge.security.ViolationTracker;
import io.stocktracker.edge.subscription.SubscriptionManager;
import io.stocktracker.schemas.contract.CloseCode;
import io.stocktracker.schemas.contract.ErrorCode;
import io.stocktracker.schemas.ws.Connected;
import io.stocktracker.schemas.ws.ErrorMessage;
import io.stocktracker.schemas.ws.ServerMessage;
import io.stocktracker.schemas.ws.TokenExpiring;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The live connections by clientId: accepts them, closes them (with a grace period), forgets them. */
public final class ConnectionManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConnectionManager.class);

    private final EdgeConfig config;
    private final EdgeMetrics metrics;
    private final SubscriptionManager subscriptions;
    private final ConnectionLimiter limiter;
    private final UserAccess access;
    private final BatchEncoder batchEncoder;
    private final Map<String, ClientSession> connections = new ConcurrentHashMap<>();
    private final ClientQueue.Limits queueLimits;
    private final SessionTimers timers = new SessionTimers();
    private final WriterPool writers = new WriterPool();
    private final TokenExpiryScheduler tokens;

    /** Told of each connection after its {@code connected}, and once it is gone (price alerts). */
    private final List<Consumer<ClientSession>> openedListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<ClientSession>> closedListeners = new CopyOnWriteArrayList<>();

    public ConnectionManager(EdgeConfig config, EdgeMetrics metrics, SubscriptionManager subscriptions, ConnectionLimiter limiter,
                             UserAccess access, BatchEncoder batchEncoder) {
        this.config = config;
        this.metrics = metrics;
        this.subscriptions = subscriptions;
        this.limiter = limiter;
        this.access = access;
        this.batchEncoder = batchEncoder;
        this.tokens = new TokenExpiryScheduler(timers.executor(), config.users().tokenRefreshWindow(), this::tokenExpiring,
                this::tokenExpired);
        // a refresh that narrows the symbols claim answers one error per dropped subscription, all at once
        int mostSubscriptions = Math.max(config.maxSubscriptions(),
                config.users().tierSubscriptionLimits().values().stream().mapToInt(Integer::intValue).max().orElse(0));
        this.queueLimits = new ClientQueue.Limits(config.maxPendingSymbols(),
                config.messageBurst() + config.maxViolations() + config.maxSymbolsPerMessage() * 2 + mostSubscriptions + 64,
                config.slowConsumerMaxStall().toNanos(), config.slowConsumerMaxConflations());
    }

    public void onOpened(Consumer<ClientSession> listener) {
        openedListeners.add(listener);
    }

    public void onClosed(Consumer<ClientSession> listener) {
        closedListeners.add(listener);
    }

    /** Registers an accepted socket and greets it with {@code connected}. */
    public ClientSession handleConnection(Transport transport, String remoteIp, WireFormat format, Principal principal) {
        String clientId = UUID.randomUUID().toString();
        long now = System.nanoTime();
        ClientSession session = new ClientSession(clientId, remoteIp, format, transport, principal,
                new ClientQueue(queueLimits, batch -> batchEncoder.encode(batch, format), System::nanoTime),
                new RateLimiter(config.messageRatePerSecond(), config.messageBurst(), now),
                new ViolationTracker(config.maxViolations(), config.violationWindow().toNanos()),
                // a few oversized frames are a client bug worth an error; a stream of them is an attack
                new ViolationTracker(Math.max(2, config.maxViolations() / 4), config.violationWindow().toNanos()),
                this::dropSlowConsumer, metrics.framesOut::increment, writers);
        connections.put(clientId, session);
        metrics.connectionsOpened.increment();
        log.debug("client {} connected from {} ({}, {})", clientId, remoteIp, format, principal.subject());
        session.send(new Connected(Connected.WELCOME, clientId, Instant.now(), config.edgeId(),
                config.heartbeatInterval().toMillis()));
        synchronized (session.tokenLock) {
            tokens.schedule(session);
        }
        openedListeners.forEach(l -> l.accept(session));
        return session;
    }

    /** The refresh window opened: tell the client once per token. */
    private void tokenExpiring(ClientSession session, Instant expiresAt) {
        access.metrics().expiringNotices.increment();
        session.send(new TokenExpiring(expiresAt, Instant.now()));
    }

    /** The token the connection holds expired without a successful refresh. */
    private void tokenExpired(ClientSession session, Principal expired) {
        access.metrics().expiredClosed.increment();
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
                    Duration.between(session.connectedAt(), Instant.now()));
            session.queue().clear();
            synchronized (session.tokenLock) {
                tokens.cancel(session);
            }
            subscriptions.unsubscribeAll(session.clientId());
            limiter.release(session.remoteIp());
            access.users().release(session.principal().subject());
            closedListeners.forEach(l -> l.accept(session));
        }
    }

    /**
     * How long a refused socket (told UNAUTHORIZED or over the user cap, then closed) may take to answer the close
     * before it is dropped: a client that never answers must not keep its descriptor until Jetty's idle timeout.
     */
    static final long REFUSED_LINGER_MS = 1000;

    /** Runs {@code disconnect} {@link #REFUSED_LINGER_MS} from now (a no-op on a socket closed meanwhile). */
    void dropAfterLinger(Runnable disconnect) {
        timers.after(Duration.ofMillis(REFUSED_LINGER_MS), disconnect);
    }

    /** Close handshake now; a client that does not answer it (stopped reading) is dropped after a grace period. */
    void close(ClientSession session, CloseCode code, String reason) {
        if (!session.startClosing()) {
            return;
        }
        metrics.closed(code);
        log.debug("closing {} with {}: {}", session.clientId(), code, reason);
        session.transport().close(code.code(), reason);
        timers.after(Duration.ofMillis(Math.max(1000, config.shutdownGrace().toMillis())), () -> {
            if (session.transport().isOpen()) {
                session.transport().disconnect();
            }
            onClosed(session);
        });
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

    /** The slow-consumer policy: tell the client why (best effort: it is not reading), then close with 4008. */
    public void dropSlowConsumer(ClientSession s) {
        if (s.isClosing()) {
            return;
        }
        log.info("client {} is a slow consumer ({} conflations); disconnecting", s.clientId(), s.queue().conflations());
        metrics.slowConsumerDisconnects.increment();
        metrics.error(ErrorCode.SLOW_CONSUMER);
        dropWithError(s, ErrorMessage.of(ErrorCode.SLOW_CONSUMER,
                "You fell too far behind the feed; reconnect and resubscribe with since"), CloseCode.SLOW_CONSUMER,
                "Slow consumer");
    }

    public Collection<ClientSession> getActiveConnections() {
        return connections.values();
    }

    public ClientSession get(String clientId) {
        return connections.get(clientId);
    }

    /** Collects the first writes of one update's fan-out, to hand them to the writers together. */
    public WriteBurst burst() {
        return writers.burst();
    }

    public int size() {
        return connections.size();
    }

    /** Drain or shutdown: every client is told to go elsewhere. */
    public void closeAll(CloseCode code, String reason) {
        connections.values().forEach(s -> close(s, code, reason));
    }

    /** The connections' timer thread, also where subscriptions' maxRate intervals open. */
    ScheduledExecutorService optionTimers() {
        return timers.executor();
    }

    @Override
    public void close() {
        timers.close();
        writers.close();
    }
}

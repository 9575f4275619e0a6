package io.stocktracker.edge.session;

import io.stocktracker.edge.EdgeMetrics;
import io.stocktracker.edge.options.QuoteProjections;
import io.stocktracker.edge.options.ShapedSubscriptions;
import io.stocktracker.edge.protocol.MessageValidator;
import io.stocktracker.edge.protocol.ProtocolCodec;
import io.stocktracker.edge.protocol.WireFormat;
import io.stocktracker.edge.security.TokenAuthenticator;
import io.stocktracker.edge.security.UserAccess;
import io.stocktracker.edge.security.TokenAuthenticator.Principal;
import io.stocktracker.edge.subscription.SubscriptionManager;
import io.stocktracker.edge.universe.SymbolAdmission;
import io.stocktracker.schemas.contract.CloseCode;
import io.stocktracker.schemas.contract.ErrorCode;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.schemas.ws.Alert;
import io.stocktracker.schemas.ws.ClientMessage;
import io.stocktracker.schemas.ws.ErrorMessage;
import io.stocktracker.schemas.ws.Ping;
import io.stocktracker.schemas.ws.Pong;
import io.stocktracker.schemas.ws.Refresh;
import io.stocktracker.schemas.ws.Subscribe;
import io.stocktracker.schemas.ws.Subscribed;
import io.stocktracker.schemas.ws.Subscribed.Rejection;
import io.stocktracker.schemas.ws.TokenRefreshed;
import io.stocktracker.schemas.ws.Unsubscribe;
import io.stocktracker.schemas.ws.Unsubscribed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * What the edge does with each client frame. Every violation is answered with an {@code error} and the
 * connection stays usable; only a run of violations (abuse) closes it.
 */
public final class ClientMessageHandler {
    private final ConnectionManager connections;
    private final SubscriptionManager subscriptions;
    private final MessageValidator validator;
    private final EdgeMetrics metrics;
    private final Function<String, Optional<StockQuote>> latest;
    private final SymbolAdmission admission;
    private final UserAccess access;
    private volatile BiConsumer<ClientSession, Alert> alerts = (s, a) -> error(s, ErrorMessage.of(ErrorCode.UNSUPPORTED_ACTION, "alerts are off"));
    private final QuoteProjections projections = new QuoteProjections();

    public ClientMessageHandler(ConnectionManager connections, SubscriptionManager subscriptions, MessageValidator validator,
                                EdgeMetrics metrics, Function<String, Optional<StockQuote>> latest, SymbolAdmission admission,
                                UserAccess access) {
        this.admission = admission;
        this.access = access;
        this.connections = connections;
        this.subscriptions = subscriptions;
        this.validator = validator;
        this.metrics = metrics;
        this.latest = latest;
    }

    /** Price alerts ({@code io.stocktracker.edge.alerts}) take the {@code alert} messages. */
    public void onAlert(BiConsumer<ClientSession, Alert> handler) {
        this.alerts = handler;
    }

    public void onText(ClientSession session, String text) {
        metrics.messagesIn.increment();
        session.touch();
        if (session.isClosing()) {
            return;
        }
        long now = System.nanoTime();
        if (validator.frameTooLarge(text)) {
            oversized(session, now);
            return;
        }
        if (!withinRates(session, now)) {
            return;
        }
        handle(session, now, ProtocolCodec.decode(text));
    }

    private void handle(ClientSession session, long now, ProtocolCodec.Decoded decoded) {
        if (decoded.error() != null) {
            violation(session, now, decoded.error());
            return;
        }
        ClientMessage message = decoded.message();
        if (message instanceof Subscribe s) {
            subscribe(session, s);
        } else if (message instanceof Unsubscribe u) {
            unsubscribe(session, u);
        } else if (message instanceof Ping p) {
            session.send(new Pong(Instant.now(), p.timestamp()));
        } else if (message instanceof Refresh r) {
            refresh(session, r);
        } else if (message instanceof Alert a) {
            alerts.accept(session, a);
        }
    }

    /** The connection's own bucket, then the bucket its user shares with its other connections. */
    private boolean withinRates(ClientSession session, long now) {
        if (!session.rateLimiter().tryAcquire(now)) {
            violation(session, now, ErrorMessage.of(ErrorCode.RATE_LIMIT_EXCEEDED,
                    "Too many messages; this one was dropped. Slow down."));
            return false;
        }
        if (!access.users().tryAcquireMessage(session.principal().subject(), now)) {
            access.metrics().userRateRefusals.increment();
            violation(session, now, ErrorMessage.of(ErrorCode.RATE_LIMIT_EXCEEDED,
                    "Too many messages from your user across its connections; this one was dropped. Slow down."));
            return false;
        }
        return true;
    }

    /** refresh-protocol: same subject -> the new token's exp, symbols and tier apply; otherwise the old token stays. */
    private void refresh(ClientSession session, Refresh msg) {
        TokenAuthenticator authenticator = access.authenticator();
        if (authenticator == null) {
            access.metrics().refreshesFailed.increment();
            error(session, ErrorMessage.of(ErrorCode.UNSUPPORTED_ACTION, "token refresh needs AUTH_MODE=jwt"));
            return;
        }
        TokenAuthenticator.Verdict verdict = authenticator.verify(msg.token());
        Principal current = session.principal();
        String refused = null;
        if (!verdict.ok()) {
            refused = verdict.failure() == TokenAuthenticator.Failure.MISSING ? "refresh needs a token"
                    : "refresh token " + verdict.failure().reason();
        } else if (!Objects.equals(verdict.principal().subject(), current.subject())) {
            refused = "refresh token is for another subject";
        }
        if (refused != null) {
            access.metrics().refreshesFailed.increment();
            error(session, ErrorMessage.of(ErrorCode.UNAUTHORIZED, refused + "; the connection keeps its current token"
                    + (current.expiresAt() == null ? "" : " until " + current.expiresAt())));
            return;
        }
        Principal next = verdict.principal();
        if (!connections.replacePrincipal(session, next)) {
            return;
        }
        access.metrics().refreshesOk.increment();
        Instant now = Instant.now();
        List<String> forbidden = subscriptions.getClientSubscriptions(session.clientId()).stream()
                .filter(symbol -> !next.allows(symbol)).sorted().toList();
        if (!forbidden.isEmpty()) {
            List<String> dropped = subscriptions.unsubscribe(session.clientId(), forbidden);
            session.barSymbols().removeAll(dropped);
            session.queue().forget(dropped);
            session.shaped(ShapedSubscriptions.forget(session.shaped(), dropped));
            session.subscriptionsSeen(System.nanoTime());
            for (String symbol : dropped) {
                error(session, new ErrorMessage(ErrorCode.FORBIDDEN_SYMBOL, "Your refreshed token does not allow " + symbol
                        + "; unsubscribed", now, symbol));
            }
            session.send(new Unsubscribed(dropped, now));
        }
        session.send(new TokenRefreshed(next.expiresAt(), now));
    }

    /** MessagePack messages on that subprotocol; meaningless on the JSON one. */
    public void onBinary(ClientSession session, byte[] bytes) {
        metrics.messagesIn.increment();
        session.touch();
        if (session.isClosing()) {
            return;
        }
        long now = System.nanoTime();
        if (validator.frameTooLarge(bytes.length)) {
            oversized(session, now);
            return;
        }
        if (session.format() == WireFormat.MSGPACK) {
            if (!withinRates(session, now)) {
                return;
            }
            handle(session, now, ProtocolCodec.decodeMsgpack(bytes));
            return;
        }
        violation(session, now, ErrorMessage.of(ErrorCode.INVALID_MESSAGE,
                "Binary frames are not supported on " + ProtocolCodec.JSON_SUBPROTOCOL + "; send JSON text"));
    }

    public void onPong(ClientSession session) {
        session.touch();
    }

    private void subscribe(ClientSession session, Subscribe msg) {
        if (validator.tooManySymbols(msg.symbols())) {
            error(session, ErrorMessage.of(ErrorCode.SUBSCRIPTION_LIMIT_EXCEEDED,
                    "At most " + validator.maxSymbolsPerMessage() + " symbols per message; nothing was subscribed"));
            return;
        }
        Principal principal = session.principal();
        int limit = access.tierLimits().limitFor(principal.tier());
        // unlisted symbols first: they neither take a subscription slot nor reach the caps, Redis or the registry
        SymbolAdmission.Outcome listed = admission.listedOnly(msg.symbols());
        MessageValidator.Checked syntax = validator.checkSubscribe(listed.admitted(),
                subscriptions.getClientSubscriptions(session.clientId()), principal.allowedSymbols(), limit,
                principal.tier() == null ? "At most " + limit + " subscriptions per connection"
                        : "At most " + limit + " subscriptions per connection on tier " + principal.tier());
        SymbolAdmission.Outcome capped = admission.withinCaps(syntax.accepted(), s -> subscriptions.subscriberCount(s) > 0,
                subscriptions.activeSymbolCount());
        List<Rejection> rejections = new ArrayList<>(listed.rejected());
        rejections.addAll(syntax.rejected());
        rejections.addAll(capped.rejected());
        MessageValidator.Checked checked = new MessageValidator.Checked(capped.admitted(), rejections);
        Instant now = Instant.now();
        // ack before registering: any live update racing in then queues behind the ack and the snapshots
        session.send(new Subscribed(checked.accepted(), checked.rejected(), now));
        for (Rejection r : checked.rejected()) {
            error(session, new ErrorMessage(r.code(), r.reason(), now, r.symbol()));
        }
        if (checked.accepted().isEmpty()) {
            return;
        }
        Map<String, Long> since = msg.since() == null ? Map.of() : normalizeKeys(msg.since());
        if (!since.isEmpty()) {
            metrics.reconnections.increment();
        }
        // before registering: a live quote that finds the new subscriber at once must already see what the client holds
        for (String symbol : checked.accepted()) {
            Long have = since.get(symbol);
            if (have != null) {
                session.queue().holds(symbol, have);
            }
        }
        // before registering too: the first live quote must already meet the symbol's options
        session.shaped(ShapedSubscriptions.apply(session.shaped(), checked.accepted(), msg, () -> new ShapedSubscriptions(
                session.format(), connections.optionTimers(), projections, session::deliverReleased, System::nanoTime)));
        subscriptions.subscribe(session.clientId(), checked.accepted());
        if (msg.wantsBars()) {
            session.barSymbols().addAll(checked.accepted());
        } else {
            session.barSymbols().removeAll(checked.accepted());
        }
        // the quote path may store a value and fan it out on either side of this read: the connection's queue drops
        // whichever copy of a seq comes second, and any seq older than one already sent
        for (String symbol : checked.accepted()) {
            latest.apply(symbol).ifPresent(q -> session.sendSnapshot(symbol, q, now));
        }
    }

    private void unsubscribe(ClientSession session, Unsubscribe msg) {
        if (validator.tooManySymbols(msg.symbols())) {
            error(session, ErrorMessage.of(ErrorCode.SUBSCRIPTION_LIMIT_EXCEEDED,
                    "At most " + validator.maxSymbolsPerMessage() + " symbols per message; nothing was unsubscribed"));
            return;
        }
        MessageValidator.Checked checked = validator.checkSymbols(msg.symbols());
        List<String> dropped = subscriptions.unsubscribe(session.clientId(), checked.accepted());
        session.queue().forget(dropped);
        session.shaped(ShapedSubscriptions.forget(session.shaped(), dropped));
        session.barSymbols().removeAll(checked.accepted());
        // the idle-unsubscribed clock starts when the last one goes, not at the sweep that notices
        session.subscriptionsSeen(System.nanoTime());
        Instant now = Instant.now();
        session.send(new Unsubscribed(checked.accepted(), now));
        for (Rejection r : checked.rejected()) {
            error(session, new ErrorMessage(r.code(), r.reason(), now, r.symbol()));
        }
    }

    private static Map<String, Long> normalizeKeys(Map<String, Long> since) {
        Map<String, Long> out = new HashMap<>();
        since.forEach((k, v) -> io.stocktracker.schemas.contract.Symbols.normalize(k).ifPresent(s -> {
            if (v != null) {
                out.put(s, v);
            }
        }));
        return out;
    }

    private void oversized(ClientSession session, long now) {
        metrics.error(ErrorCode.MESSAGE_TOO_LARGE);
        if (session.oversized().record(now)) {
            connections.dropWithError(session, ErrorMessage.of(ErrorCode.MESSAGE_TOO_LARGE,
                    "Repeated frames over " + validator.maxFrameBytes() + " bytes"), CloseCode.MESSAGE_TOO_BIG,
                    "Repeated oversized frames");
            return;
        }
        session.send(ErrorMessage.of(ErrorCode.MESSAGE_TOO_LARGE,
                "Frames are limited to " + validator.maxFrameBytes() + " bytes; this one was dropped"));
        session.violations().record(now);
    }

    private void violation(ClientSession session, long now, ErrorMessage error) {
        metrics.error(error.code());
        if (session.violations().record(now)) {
            connections.dropWithError(session, error, CloseCode.POLICY_VIOLATION,
                    "Too many invalid or rate-limited messages");
            return;
        }
        session.send(error);
    }

    private void error(ClientSession session, ErrorMessage error) {
        metrics.error(error.code());
        session.send(error);
    }
}

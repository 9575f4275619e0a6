package io.stocktracker.edge.alerts;

import io.stocktracker.edge.EdgeConfig;
import io.stocktracker.edge.EdgeMetrics;
import io.stocktracker.edge.security.TierLimits;
import io.stocktracker.edge.session.ClientSession;
import io.stocktracker.edge.session.ConnectionManager;
import io.stocktracker.schemas.contract.ErrorCode;
import io.stocktracker.schemas.model.AlertDefinition;
import io.stocktracker.schemas.model.AlertFired;
import io.stocktracker.schemas.model.AlertRule;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.schemas.ws.Alert;
import io.stocktracker.schemas.ws.AlertTriggered;
import io.stocktracker.schemas.ws.Alerts;
import io.stocktracker.schemas.ws.ErrorMessage;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge's side of price alerts. AUTH_MODE=none: a connection's alerts, evaluated here ({@link ConnectionAlerts}).
 * AUTH_MODE=jwt: a user's alerts in Kafka, evaluated by streams-processor; this edge writes creates, deletes and
 * acknowledgements, and relays what fired to the user's connections on it (at least once, until acknowledged).
 */
public final class PriceAlerts implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PriceAlerts.class);

    private final AlertRequests requests;
    private final TierLimits limits;
    private final EdgeMetrics metrics;
    private final Supplier<Collection<ClientSession>> connections;
    private final ConnectionAlerts perConnection = new ConnectionAlerts();
    /** Null with AUTH_MODE=none. */
    private final UserAlertBook book;
    private final AlertLogReader reader;
    private final AlertLogWriter writer;

    private PriceAlerts(Predicate<String> listed, TierLimits limits, EdgeMetrics metrics,
                        Supplier<Collection<ClientSession>> connections, String bootstrapServers, String edgeId) {
        this.requests = new AlertRequests(listed);
        this.limits = limits;
        this.metrics = metrics;
        this.connections = connections;
        if (bootstrapServers == null) {
            this.book = null;
            this.reader = null;
            this.writer = null;
        } else {
            this.book = new UserAlertBook();
            this.reader = new AlertLogReader(bootstrapServers, edgeId, book, this::relay, this::relayAllPending);
            this.writer = new AlertLogWriter(bootstrapServers, edgeId);
        }
    }

    /** Per connection or per user as AUTH_MODE says, told of every connection that opens or closes; call {@link #start()}. */
    public static PriceAlerts create(EdgeConfig config, Predicate<String> listed, EdgeMetrics metrics, ConnectionManager connections) {
        boolean jwt = config.authMode() == EdgeConfig.AuthMode.jwt;
        TierLimits limits = TierLimits.of(config.users().tierAlertLimits(), config.users().maxAlerts(), jwt);
        PriceAlerts alerts = jwt
                ? perUser(listed, limits, metrics, connections::getActiveConnections, config.kafkaBootstrapServers(), config.edgeId())
                : perConnection(listed, limits, metrics);
        connections.onOpened(alerts::opened);
        connections.onClosed(alerts::closed);
        return alerts;
    }

    /** AUTH_MODE=none: alerts live for the connection. */
    static PriceAlerts perConnection(Predicate<String> listed, TierLimits limits, EdgeMetrics metrics) {
        return new PriceAlerts(listed, limits, metrics, List::of, null, null);
    }

    /** AUTH_MODE=jwt: alerts belong to the token's subject and live in Kafka; call {@link #start()}. */
    static PriceAlerts perUser(Predicate<String> listed, TierLimits limits, EdgeMetrics metrics,
                                      Supplier<Collection<ClientSession>> connections, String bootstrapServers, String edgeId) {
        return new PriceAlerts(listed, limits, metrics, connections, bootstrapServers, edgeId);
    }

    public void start() {
        if (reader != null) {
            reader.start();
        }
    }

    /** Every op is answered by {@code alerts}; bad input by an error naming the field. */
    public void handle(ClientSession session, Alert request) {
        String user = session.principal().subject();
        if (book != null && user == null) {
            error(session, ErrorMessage.of(ErrorCode.UNAUTHORIZED, "alerts need the token's sub"));
            return;
        }
        switch (request.op()) {
            case list -> session.send(new Alerts(list(session), null, Instant.now()));
            case create -> create(session, request);
            case delete, ack -> {
                ErrorMessage bad = AlertRequests.badAlertId(request.alertId());
                if (bad != null) {
                    error(session, bad);
                } else if (request.op() == Alert.Op.delete) {
                    delete(session, request.alertId());
                } else {
                    acknowledge(session, request.alertId());
                }
            }
        }
    }

    private void create(ClientSession session, Alert request) {
        AlertRequests.Checked checked = requests.create(request, session.principal(), Instant.now());
        if (checked.error() != null) {
            error(session, checked.error());
            return;
        }
        AlertRule rule = checked.rule();
        String tier = session.principal().tier();
        int limit = limits.limitFor(tier);
        if (book == null) {
            // count and add under one lock: two creates racing on one connection cannot both take the last slot
            synchronized (perConnection) {
                if (perConnection.count(session) >= limit) {
                    error(session, tooMany(limit, "per connection (MAX_ALERTS)"));
                    return;
                }
                perConnection.add(session, rule);
            }
            session.send(new Alerts(perConnection.list(session), rule.alertId(), Instant.now()));
            return;
        }
        String user = session.principal().subject();
        AlertDefinition definition = new AlertDefinition(user, rule);
        String key = AlertDefinition.key(user, rule.alertId());
        synchronized (book) {
            if (book.count(user) >= limit) {
                error(session, tooMany(limit, tier == null ? "per user" : "per user on tier " + tier + " (TIER_ALERT_LIMITS)"));
                return;
            }
            // held at once, so the next create counts it and the answer lists it; undone if Kafka refuses it
            book.definition(key, definition);
        }
        answerWhenWritten(session, writer.define(definition), rule.alertId(), () -> book.definition(key, null));
    }

    private void delete(ClientSession session, String alertId) {
        if (book == null) {
            perConnection.remove(session, alertId);
            session.send(new Alerts(perConnection.list(session), null, Instant.now()));
            return;
        }
        String user = session.principal().subject();
        book.definition(AlertDefinition.key(user, alertId), null);
        answerWhenWritten(session, writer.delete(user, alertId), null, () -> { });
    }

    private void acknowledge(ClientSession session, String alertId) {
        if (book == null) {
            session.send(new Alerts(perConnection.list(session), null, Instant.now()));
            return;
        }
        String user = session.principal().subject();
        book.fired(AlertDefinition.key(user, alertId), null);
        answerWhenWritten(session, writer.acknowledge(user, alertId), null, () -> { });
    }

    private void answerWhenWritten(ClientSession session, CompletableFuture<Void> written, String created, Runnable undo) {
        written.whenComplete((ok, failure) -> {
            if (failure != null) {
                undo.run();
                log.warn("client {}: alert change not written to Kafka: {}", session.clientId(), failure.toString());
                error(session, ErrorMessage.of(ErrorCode.INTERNAL_ERROR, "The alert change could not be stored; nothing was changed"));
                return;
            }
            session.send(new Alerts(list(session), created, Instant.now()));
        });
    }

    private List<AlertRule> list(ClientSession session) {
        return book == null ? perConnection.list(session) : book.active(session.principal().subject());
    }

    /** AUTH_MODE=none: the quote path; a symbol without alerts costs one look-up. */
    public void onQuote(StockQuote quote) {
        if (book == null) {
            perConnection.onQuote(quote);
        }
    }

    /** A new connection of a user gets the alerts that fired while none of its connections was open (or not acknowledged). */
    public void opened(ClientSession session) {
        String user = session.principal().subject();
        if (book != null && user != null && reader.ready()) {
            sendPending(session, book.pending(user));
        }
    }

    public void closed(ClientSession session) {
        if (book == null) {
            perConnection.closed(session);
        }
    }

    /** REST polling fallback (AUTH_MODE=jwt): the user's alerts that have not fired. */
    public List<AlertRule> active(String user) {
        return book == null ? List.of() : book.active(user);
    }

    /** REST polling fallback (AUTH_MODE=jwt): the user's fired alerts not acknowledged yet. */
    public List<AlertTriggered> pending(String user) {
        if (book == null) {
            return List.of();
        }
        Instant now = Instant.now();
        return book.pending(user).stream().map(f -> triggered(f, now)).toList();
    }

    /** REST polling fallback: as the {@code ack} op. */
    public CompletableFuture<Void> acknowledge(String user, String alertId) {
        if (book == null) {
            return CompletableFuture.completedFuture(null);
        }
        book.fired(AlertDefinition.key(user, alertId), null);
        return writer.acknowledge(user, alertId);
    }

    public boolean perUser() {
        return book != null;
    }

    private void relay(AlertFired fired) {
        Instant now = Instant.now();
        AlertTriggered message = triggered(fired, now);
        for (ClientSession s : connections.get()) {
            if (fired.user().equals(s.principal().subject()) && !s.isClosing()) {
                s.send(message);
            }
        }
    }

    private void relayAllPending() {
        Set<String> users = Set.copyOf(book.usersWithPending());
        for (ClientSession s : connections.get()) {
            String user = s.principal().subject();
            if (user != null && users.contains(user)) {
                sendPending(s, book.pending(user));
            }
        }
    }

    private static void sendPending(ClientSession session, List<AlertFired> pending) {
        Instant now = Instant.now();
        pending.forEach(f -> session.send(triggered(f, now)));
    }

    private static AlertTriggered triggered(AlertFired fired, Instant now) {
        return new AlertTriggered(fired.alert(), fired.price(), fired.triggeredAt(), now);
    }

    private static ErrorMessage tooMany(int limit, String scope) {
        return ErrorMessage.of(ErrorCode.ALERT_LIMIT_EXCEEDED, "At most " + limit + " alerts " + scope
                + "; delete one first. Nothing was created");
    }

    private void error(ClientSession session, ErrorMessage error) {
        metrics.error(error.code());
        session.send(error);
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.close();
        }
        if (writer != null) {
            writer.close();
        }
    }
}

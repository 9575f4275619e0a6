package io.stocktracker.edge.fanout;

import io.stocktracker.edge.EdgeMetrics;
import io.stocktracker.edge.fanout.ClientQueue.Outcome;
import io.stocktracker.edge.fanout.ClientQueue.PendingQuote;
import io.stocktracker.edge.protocol.ProtocolCodec;
import io.stocktracker.edge.protocol.WireFormat;
import io.stocktracker.edge.session.ClientSession;
import io.stocktracker.edge.session.ConnectionManager;
import io.stocktracker.edge.subscription.SubscriptionManager;
import io.stocktracker.schemas.contract.CloseCode;
import io.stocktracker.schemas.contract.ErrorCode;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.schemas.ws.BatchUpdate;
import io.stocktracker.schemas.ws.ErrorMessage;
import io.stocktracker.schemas.ws.PriceUpdate;
import io.stocktracker.schemas.ws.ServerMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's BroadcastEngine: sends each update, serialized once, to the symbol's subscribers only. Each
 * connection keeps one write in flight and a latest-per-symbol map behind it (see {@link ClientQueue}); a
 * client that stays behind past the limits gets SLOW_CONSUMER and is closed with 4008.
 */
public final class BroadcastEngine {
    private static final Logger log = LoggerFactory.getLogger(BroadcastEngine.class);

    /** One symbol's update as the bridge hands it over: the quote and its shared price_update frame. */
    public record Update(String symbol, StockQuote data, String frame) {
        public static Update of(StockQuote quote) {
            return new Update(quote.symbol(), quote, ProtocolCodec.encode(PriceUpdate.of(quote, Instant.now())));
        }

        public static Update of(StockQuote quote, byte[] frame) {
            return new Update(quote.symbol(), quote, new String(frame, StandardCharsets.UTF_8));
        }
    }

    private final ConnectionManager connections;
    private final SubscriptionManager subscriptions;
    private final EdgeMetrics metrics;
    private final Function<String, Optional<StockQuote>> latest;
    private volatile boolean paused;

    public BroadcastEngine(ConnectionManager connections, SubscriptionManager subscriptions, EdgeMetrics metrics,
                           Function<String, Optional<StockQuote>> latest) {
        this.connections = connections;
        this.subscriptions = subscriptions;
        this.metrics = metrics;
        this.latest = latest;
        connections.setDeliveryPolicy(this::encodeBatch, s -> handleSlowClient(s.clientId()));
    }

    /** The seed's broadcast(symbol, data): serializes once, then fans out. */
    public int broadcast(String symbol, StockQuote data) {
        return broadcast(new Update(symbol, data, ProtocolCodec.encode(PriceUpdate.of(data, Instant.now()))));
    }

    /** Fans out an update whose frame is already serialized (what the bridge delivers). */
    public int broadcast(Update update) {
        if (paused) {
            return 0;
        }
        int delivered = 0;
        PendingQuote pending = new PendingQuote(update.symbol(), update.data(), update.frame());
        PendingQuote msgpack = null;
        Instant now = null;
        for (String clientId : subscriptions.getSubscribers(update.symbol())) {
            ClientSession session = connections.get(clientId);
            if (session == null || session.isClosing()) {
                continue;
            }
            PendingQuote frame = pending;
            if (session.format() == WireFormat.MSGPACK) {
                if (msgpack == null) {
                    // encoded at most once per update for all MessagePack subscribers
                    msgpack = new PendingQuote(update.symbol(), update.data(), WireFormat.MSGPACK.fromJson(update.frame()));
                }
                frame = msgpack;
            }
            Outcome outcome = session.deliver(frame);
            switch (outcome) {
                case SEND -> {
                    delivered++;
                    metrics.quotesOut.increment();
                    if (now == null) {
                        now = Instant.now();
                    }
                    metrics.delivered(update.data(), now);
                }
                case CONFLATED -> metrics.conflations.increment();
                case QUEUED -> delivered++;
                default -> { }
            }
        }
        return delivered;
    }

    /** The seed's batchBroadcast(updates): each update fans out on its own; clients that lag get them batched. */
    public void batchBroadcast(Collection<Update> updates) {
        updates.forEach(this::broadcast);
    }

    /** Serialized once, queued to each named client. */
    public void broadcastToClients(Collection<String> clientIds, ServerMessage message) {
        String frame = ProtocolCodec.encode(message);
        for (String id : clientIds) {
            ClientSession s = connections.get(id);
            if (s != null && !s.isClosing()) {
                s.sendJson(frame);
            }
        }
    }

    /** A source failure for a symbol goes to that symbol's subscribers as is. */
    public void broadcastSourceError(String symbol, String frame) {
        for (String id : subscriptions.getSubscribers(symbol)) {
            ClientSession s = connections.get(id);
            if (s != null && !s.isClosing()) {
                s.sendJson(frame);
            }
        }
    }

    /** The slow-consumer policy: tell the client why (best effort: it is not reading), then close with 4008. */
    public void handleSlowClient(String clientId) {
        ClientSession s = connections.get(clientId);
        if (s == null || s.isClosing()) {
            return;
        }
        log.info("client {} is a slow consumer ({} conflations); disconnecting", clientId, s.queue().conflations());
        metrics.slowConsumerDisconnects.increment();
        metrics.error(ErrorCode.SLOW_CONSUMER);
        connections.dropWithError(s, ErrorMessage.of(ErrorCode.SLOW_CONSUMER,
                "You fell too far behind the feed; reconnect and resubscribe with since"), CloseCode.SLOW_CONSUMER,
                "Slow consumer");
    }

    /** Called by the heartbeat sweep: a write outstanding past the stall limit makes the client slow. */
    public void checkStall(ClientSession s) {
        if (s.queue().checkStall().outcome() == Outcome.SLOW) {
            handleSlowClient(s.clientId());
        }
    }

    /** Frames waiting behind the in-flight write for this client; -1 when unknown. */
    public int getQueueSize(String clientId) {
        ClientSession s = connections.get(clientId);
        return s == null ? -1 : s.queue().size();
    }

    public int totalQueued() {
        int n = 0;
        for (ClientSession s : connections.getActiveConnections()) {
            n += s.queue().size();
        }
        return n;
    }

    /** market-data:control pause: the cache keeps updating, clients get nothing until resume. */
    public void pause() {
        paused = true;
    }

    /** Resume catches every client up with the latest value of each of its symbols. */
    public void resume() {
        if (!paused) {
            return;
        }
        paused = false;
        for (String symbol : subscriptions.getActiveSymbols()) {
            latest.apply(symbol).ifPresent(q -> broadcast(Update.of(q)));
        }
    }

    public boolean paused() {
        return paused;
    }

    /** Pending quotes leave as one frame: the shared frame when alone, a batch_update otherwise. */
    Object encodeBatch(List<PendingQuote> batch, WireFormat format) {
        Instant now = Instant.now();
        metrics.quotesOut.increment(batch.size());
        for (PendingQuote p : batch) {
            if (p.quote() != null) {
                metrics.delivered(p.quote(), now);
            }
        }
        if (batch.size() == 1) {
            return batch.get(0).frame();
        }
        if (format == WireFormat.JSON) {
            return jsonBatch(batch, now);
        }
        List<BatchUpdate.Entry> entries = new ArrayList<>(batch.size());
        for (PendingQuote p : batch) {
            entries.add(new BatchUpdate.Entry(p.symbol(), p.quote()));
        }
        return format.encode(new BatchUpdate(entries, now));
    }

    /**
     * The batch_update JSON assembled from entries each serialized once per update (shared by every client whose
     * batch holds that update): conflated clients get distinct batches, but no quote is serialized per client.
     */
    static String jsonBatch(List<PendingQuote> batch, Instant now) {
        StringBuilder b = new StringBuilder(64 + batch.size() * 320);
        b.append("{\"type\":\"").append(BatchUpdate.TYPE).append("\",\"updates\":[");
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(batch.get(i).batchEntryJson(BroadcastEngine::entryJson));
        }
        return b.append("],\"timestamp\":\"").append(now).append("\"}").toString();
    }

    private static String entryJson(PendingQuote p) {
        return ProtocolCodec.encode(new BatchUpdate(List.of(new BatchUpdate.Entry(p.symbol(), p.quote())), Instant.EPOCH))
                .transform(json -> json.substring(json.indexOf('[') + 1, json.lastIndexOf(']')));
    }
}

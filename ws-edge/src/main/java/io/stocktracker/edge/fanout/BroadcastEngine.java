package io.stocktracker.edge.fanout;

import io.stocktracker.edge.EdgeMetrics;
import io.stocktracker.edge.fanout.ClientQueue.Outcome;
import io.stocktracker.edge.fanout.ClientQueue.PendingQuote;
import io.stocktracker.edge.protocol.WireFormat;
import io.stocktracker.edge.session.ClientSession;
import io.stocktracker.edge.session.ConnectionManager;
import io.stocktracker.edge.session.WriteBurst;
import io.stocktracker.edge.subscription.SubscriptionManager;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.schemas.ws.PriceUpdate;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * The seed's BroadcastEngine: sends each update, serialized once, to the symbol's subscribers only. Each
 * connection keeps one write in flight and a latest-per-symbol map behind it (see {@link ClientQueue}); a
 * client that stays behind past the limits gets SLOW_CONSUMER and is closed with 4008.
 */
public final class BroadcastEngine {

    /** One symbol's update as the bridge hands it over: the quote and its shared price_update frame. */
    public record Update(String symbol, StockQuote data, TextFrame frame) {
        public static Update of(StockQuote quote) {
            return new Update(quote.symbol(), quote, TextFrame.ofTrustedUtf8(JsonCodec.toBytes(PriceUpdate.of(quote, Instant.now()))));
        }

        /** The price_update as it came from Redis, passed on byte for byte when it is valid UTF-8. */
        public static Update of(StockQuote quote, byte[] frame) {
            return new Update(quote.symbol(), quote, TextFrame.ofUtf8(frame));
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
        WriteBurst burst = connections.burst();
        for (String clientId : subscriptions.getSubscribers(update.symbol())) {
            ClientSession session = connections.get(clientId);
            if (session == null || session.isClosing()) {
                continue;
            }
            PendingQuote frame = pending;
            if (session.format() == WireFormat.MSGPACK) {
                if (msgpack == null) {
                    // encoded at most once per update for all MessagePack subscribers
                    msgpack = new PendingQuote(update.symbol(), update.data(), WireFormat.MSGPACK.fromJson(update.frame().text()));
                }
                frame = msgpack;
            }
            Outcome outcome = session.deliver(frame, burst);
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
        burst.submit();
        return delivered;
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
}

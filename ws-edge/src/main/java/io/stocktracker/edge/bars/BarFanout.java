package io.stocktracker.edge.bars;

import io.stocktracker.edge.session.ClientSession;
import io.stocktracker.edge.session.ConnectionManager;
import io.stocktracker.edge.subscription.SubscriptionManager;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.model.Bar;
import io.stocktracker.schemas.ws.BarUpdate;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Sends each new closed bar as {@code bar_update} to the symbol's subscribers that asked for bars. Every edge reads the
 * whole bars topic itself, so this needs no Redis hop; a bar per symbol per minute is little enough to walk the
 * symbol's subscribers for it, which keeps the quote path untouched. Serialized once, like price updates.
 */
public final class BarFanout implements Consumer<Bar> {
    private final ConnectionManager connections;
    private final SubscriptionManager subscriptions;

    public BarFanout(ConnectionManager connections, SubscriptionManager subscriptions) {
        this.connections = connections;
        this.subscriptions = subscriptions;
    }

    @Override
    public void accept(Bar bar) {
        String json = null;
        for (String clientId : subscriptions.getSubscribers(bar.symbol())) {
            ClientSession session = connections.get(clientId);
            if (session == null || !session.barSymbols().contains(bar.symbol())) {
                continue;
            }
            if (json == null) {
                json = JsonCodec.toJson(new BarUpdate(bar, Instant.now()));
            }
            session.sendJson(json);
        }
    }
}

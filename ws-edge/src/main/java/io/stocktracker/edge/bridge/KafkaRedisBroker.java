package io.stocktracker.edge.bridge;

import io.micrometer.core.instrument.MeterRegistry;
import io.stocktracker.edge.EdgeConfig;
import io.stocktracker.edge.broker.Broker;
import io.stocktracker.edge.broker.BrokerEventHandler;
import io.stocktracker.edge.security.RedisUserConnections;
import io.stocktracker.edge.security.UserQuotas;
import io.stocktracker.edge.universe.SymbolAdmission;
import io.stocktracker.edge.universe.SymbolUniverse;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.schemas.redis.SubscriptionChange;
import io.stocktracker.schemas.ws.ErrorMessage;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link Broker}: quotes from Kafka through Redis pub/sub ({@link EdgeBridge}), the listed symbols from
 * symbols.universe ({@link UniverseReader}), per-user connection counts in Redis ({@link RedisUserConnections}).
 */
public final class KafkaRedisBroker implements Broker {
    private static final Logger log = LoggerFactory.getLogger(KafkaRedisBroker.class);

    private final EdgeConfig config;
    private final MeterRegistry registry;
    private final LatestValueCache cache = new LatestValueCache();
    private volatile EdgeBridge bridge;
    private volatile UniverseReader universeReader;
    /** Null without AUTH_MODE=jwt (no subjects to count). */
    private volatile RedisUserConnections userConnections;

    public KafkaRedisBroker(EdgeConfig config, MeterRegistry registry) {
        this.config = config;
        this.registry = registry;
    }

    @Override
    public void run(BrokerEventHandler handler) {
        bridge = EdgeBridge.start(config.bridgeConfig(), cache, new QuoteListener() {
            @Override
            public void onQuote(StockQuote quote, byte[] frame) {
                handler.onQuote(quote, frame);
            }

            @Override
            public void onSourceError(ErrorMessage error, byte[] frame) {
                handler.onSourceError(error, frame);
            }
        }, handler::onControl, registry);
    }

    @Override
    public LatestValueCache latest() {
        return cache;
    }

    @Override
    public void interestChanged(SubscriptionChange.Action action, Collection<String> symbols) {
        EdgeBridge b = bridge;
        if (b != null) {
            b.interestChanged(action, symbols);
        }
    }

    @Override
    public SymbolAdmission.ClusterView clusterSymbols(Duration timeout) {
        EdgeBridge b = bridge;
        return b == null ? candidates -> Optional.empty() : b.clusterSymbols(timeout);
    }

    @Override
    public void followUniverse(SymbolUniverse universe) {
        if (config.symbols().universeCheck()) {
            universeReader = new UniverseReader(config.bridgeConfig(), universe);
            universeReader.start();
        }
    }

    @Override
    public void shareUserCounts(UserQuotas users) {
        if (config.authMode() == EdgeConfig.AuthMode.jwt) {
            userConnections = RedisUserConnections.start(config.edgeId(), config.redisUrl(), users,
                    config.users().connectionsTtl(), config.users().connectionsCheckTimeout(),
                    config.redisReconnectMaxBackoff(), registry);
        }
    }

    @Override
    public Health health() {
        EdgeBridge b = bridge;
        return new Health(b != null && b.cacheReady(), b != null && b.kafkaAssigned(), b != null && b.redisUp());
    }

    /** Per-user counts leave Redis first (the clients have left), then the consumer group. */
    @Override
    public void close() {
        UniverseReader u = universeReader;
        if (u != null) {
            u.close();
        }
        RedisUserConnections c = userConnections;
        if (c != null) {
            c.close();
        }
        EdgeBridge b = bridge;
        if (b != null) {
            try {
                b.close();
            } catch (RuntimeException e) {
                log.warn("edge {}: bridge close failed", config.edgeId(), e);
            }
        }
    }
}

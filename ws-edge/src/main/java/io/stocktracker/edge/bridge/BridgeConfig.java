package io.stocktracker.edge.bridge;

import java.time.Duration;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What the Kafka/Redis bridge needs. EdgeConfig owns the environment variables and their defaults for
 * the service; {@link #of} gives the same defaults for code that builds a bridge directly.
 *
 * @param consumerGroup            the group sharing {@code quotes.latest} between edges (default {@value #DEFAULT_GROUP})
 * @param quoteTtl                 TTL of {@code quote:{SYMBOL}} (seed: 10 s)
 * @param activeSymbolsTtl         TTL of this edge's active-symbols set, refreshed every third of it
 * @param redisReconnectMaxBackoff cap of the exponential reconnect delay to Redis
 */
public record BridgeConfig(String bootstrapServers, String redisUrl, String edgeId, String consumerGroup,
                           Duration quoteTtl, Duration activeSymbolsTtl, Duration redisReconnectMaxBackoff) {
    public static final String DEFAULT_GROUP = "ws-edge";
    public static final Duration DEFAULT_QUOTE_TTL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_ACTIVE_SYMBOLS_TTL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_REDIS_RECONNECT_MAX_BACKOFF = Duration.ofSeconds(10);

    // the id becomes part of a Redis key and a Kafka client id: keep it to a safe alphabet
    private static final Pattern EDGE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    public BridgeConfig {
        require(bootstrapServers != null && !bootstrapServers.isBlank(), "bootstrapServers must name at least one Kafka broker (host:port)");
        require(redisUrl != null && (redisUrl.startsWith("redis://") || redisUrl.startsWith("rediss://")),
                "redisUrl must look like redis://host:port (or rediss:// for TLS), got: " + redisUrl);
        require(edgeId != null && EDGE_ID.matcher(edgeId).matches(),
                "edgeId must be 1-64 characters of letters, digits, '.', '_', ':' or '-', got: " + edgeId);
        require(consumerGroup != null && !consumerGroup.isBlank(), "consumerGroup must not be blank");
        require(quoteTtl != null && quoteTtl.toMillis() >= 1000, "quoteTtl must be at least 1 s, got: " + quoteTtl);
        require(activeSymbolsTtl != null && activeSymbolsTtl.toMillis() >= 1000,
                "activeSymbolsTtl must be at least 1 s (it is refreshed every third of it), got: " + activeSymbolsTtl);
        require(redisReconnectMaxBackoff != null && redisReconnectMaxBackoff.toMillis() >= 10,
                "redisReconnectMaxBackoff must be at least 10 ms, got: " + redisReconnectMaxBackoff);
    }

    /** The defaults: group {@value #DEFAULT_GROUP}, quote TTL 10 s, active-symbols TTL 30 s, reconnect backoff up to 10 s. */
    public static BridgeConfig of(String bootstrapServers, String redisUrl, String edgeId) {
        return new BridgeConfig(bootstrapServers, redisUrl, edgeId, DEFAULT_GROUP, DEFAULT_QUOTE_TTL,
                DEFAULT_ACTIVE_SYMBOLS_TTL, DEFAULT_REDIS_RECONNECT_MAX_BACKOFF);
    }

    public BridgeConfig withConsumerGroup(String group) {
        return new BridgeConfig(bootstrapServers, redisUrl, edgeId, group, quoteTtl, activeSymbolsTtl, redisReconnectMaxBackoff);
    }

    public BridgeConfig withQuoteTtl(Duration ttl) {
        return new BridgeConfig(bootstrapServers, redisUrl, edgeId, consumerGroup, ttl, activeSymbolsTtl, redisReconnectMaxBackoff);
    }

    public BridgeConfig withActiveSymbolsTtl(Duration ttl) {
        return new BridgeConfig(bootstrapServers, redisUrl, edgeId, consumerGroup, quoteTtl, ttl, redisReconnectMaxBackoff);
    }

    public BridgeConfig withRedisReconnectMaxBackoff(Duration max) {
        return new BridgeConfig(bootstrapServers, redisUrl, edgeId, consumerGroup, quoteTtl, activeSymbolsTtl, max);
    }

    /** How often the active-symbols TTL is refreshed. */
    public Duration heartbeatInterval() {
        return activeSymbolsTtl.dividedBy(3);
    }

    /**
     * What every consumer of this edge shares: manual commits, raw bytes, and only what the streams
     * transaction committed (an aborted write must never reach a browser). The topic belongs to
     * streams-processor (compacted): a consumer must not create it with broker defaults.
     */
    Properties consumerProperties(String clientIdSuffix) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "ws-edge-" + edgeId + clientIdSuffix);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("bridge config: " + message);
        }
    }
}

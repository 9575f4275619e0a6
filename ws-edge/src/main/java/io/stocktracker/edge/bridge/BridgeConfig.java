package io.stocktracker.edge.bridge;

import io.stocktracker.kit.id.InstanceId;
import io.stocktracker.kit.kafka.GrouplessConsumer;
import io.stocktracker.kit.logging.Redact;
import io.stocktracker.kit.redis.RedisUrls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;

/**
 * What the Kafka/Redis bridge needs. EdgeConfig reads it from the environment (tests too, from a map); the
 * defaults are declared here and used as the environment keys' defaults there.
 *
 * @param consumerGroup            the group sharing {@code quotes.latest} between edges (default {@value #DEFAULT_GROUP})
 * @param quoteTtl                 TTL of {@code quote:{SYMBOL}} (seed: 10 s)
 * @param activeSymbolsTtl         TTL of this edge's active-symbols set, refreshed every third of it
 * @param redisReconnectMaxBackoff cap of the exponential reconnect delay to Redis
 * @param sessionTimeout           the group consumer's {@code session.timeout.ms}: how long the group waits for a
 *                                 crashed edge (no clean leave) before its partitions move to the other edges. The
 *                                 broker bounds it ({@code group.min.session.timeout.ms}, 6 s by default, up to
 *                                 {@code group.max.session.timeout.ms}); outside that range the edge never joins
 * @param groupHeartbeatInterval   the group consumer's {@code heartbeat.interval.ms}: at most a third of the session
 *                                 timeout, so two lost heartbeats do not expire a live edge; it also bounds how soon
 *                                 a live edge notices a rebalance (e.g. to take a dead edge's partitions)
 * @param relayTakeoverAfter       how long an edge's relay heartbeat in Redis may be missing before another edge
 *                                 relays its partitions of quotes.latest in its stead, until the group moves them
 *                                 ({@link RelayTakeover}); the heartbeat goes every fifth of it
 */
public record BridgeConfig(String bootstrapServers, String redisUrl, String edgeId, String consumerGroup,
                           Duration quoteTtl, Duration activeSymbolsTtl, Duration redisReconnectMaxBackoff,
                           Duration sessionTimeout, Duration groupHeartbeatInterval, Duration relayTakeoverAfter) {
    public static final String DEFAULT_GROUP = "ws-edge";
    public static final Duration DEFAULT_QUOTE_TTL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_ACTIVE_SYMBOLS_TTL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_REDIS_RECONNECT_MAX_BACKOFF = Duration.ofSeconds(1);
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration DEFAULT_GROUP_HEARTBEAT_INTERVAL = Duration.ofSeconds(3);
    public static final Duration DEFAULT_RELAY_TAKEOVER_AFTER = Duration.ofMillis(1000);
    /** A shorter silence is within what a busy JVM shows without having died; a false take-over only costs duplicates. */
    public static final Duration MIN_RELAY_TAKEOVER_AFTER = Duration.ofMillis(200);
    /** Below this a busy JVM (GC pause, loaded host) loses its partitions to the group without having died. */
    public static final Duration MIN_SESSION_TIMEOUT = Duration.ofSeconds(1);

    public static final int MAX_EDGE_ID = 64;

    public BridgeConfig {
        List<String> problems = new ArrayList<>();
        require(problems, bootstrapServers != null && !bootstrapServers.isBlank(), "bootstrapServers must name at least one Kafka broker (host:port)");
        require(problems, RedisUrls.problem("redisUrl", redisUrl) == null, RedisUrls.problem("redisUrl", redisUrl));
        // the id becomes part of a Redis key and a Kafka client id
        require(problems, InstanceId.isValid(edgeId, MAX_EDGE_ID), InstanceId.problem("edgeId", edgeId, MAX_EDGE_ID));
        require(problems, consumerGroup != null && !consumerGroup.isBlank(), "consumerGroup must not be blank");
        require(problems, quoteTtl != null && quoteTtl.toMillis() >= 1000, "quoteTtl must be at least 1 s, got: " + quoteTtl);
        require(problems, activeSymbolsTtl != null && activeSymbolsTtl.toMillis() >= 1000,
                "activeSymbolsTtl must be at least 1 s (it is refreshed every third of it), got: " + activeSymbolsTtl);
        require(problems, redisReconnectMaxBackoff != null && redisReconnectMaxBackoff.toMillis() >= 10,
                "redisReconnectMaxBackoff must be at least 10 ms, got: " + redisReconnectMaxBackoff);
        require(problems, sessionTimeout != null && sessionTimeout.compareTo(MIN_SESSION_TIMEOUT) >= 0
                        && sessionTimeout.toMillis() <= Integer.MAX_VALUE,
                "sessionTimeout (KAFKA_SESSION_TIMEOUT_MS) must be at least " + MIN_SESSION_TIMEOUT.toMillis() + " ms, got: "
                        + millis(sessionTimeout));
        require(problems, groupHeartbeatInterval != null && groupHeartbeatInterval.toMillis() >= 100,
                "groupHeartbeatInterval (KAFKA_HEARTBEAT_INTERVAL_MS) must be at least 100 ms, got: " + millis(groupHeartbeatInterval));
        require(problems, sessionTimeout == null || groupHeartbeatInterval == null
                        || groupHeartbeatInterval.multipliedBy(3).compareTo(sessionTimeout) <= 0,
                "groupHeartbeatInterval (KAFKA_HEARTBEAT_INTERVAL_MS, " + millis(groupHeartbeatInterval)
                        + ") must be at most a third of sessionTimeout (KAFKA_SESSION_TIMEOUT_MS, " + millis(sessionTimeout)
                        + "), so a live edge survives a lost heartbeat or two");
        require(problems, relayTakeoverAfter != null && relayTakeoverAfter.compareTo(MIN_RELAY_TAKEOVER_AFTER) >= 0,
                "relayTakeoverAfter (RELAY_TAKEOVER_AFTER_MS) must be at least " + MIN_RELAY_TAKEOVER_AFTER.toMillis() + " ms, got: "
                        + millis(relayTakeoverAfter));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("bridge config: " + String.join("; ", problems));
        }
    }

    /** How often the relay heartbeat is written and the other edges' are checked. */
    Duration relayHeartbeatInterval() {
        return relayTakeoverAfter.dividedBy(5);
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
    public Properties consumerProperties(String clientIdSuffix) {
        return GrouplessConsumer.properties(bootstrapServers, "ws-edge-" + edgeId + clientIdSuffix);
    }

    /**
     * The consumer that relays a silent edge's partitions ({@link TakeoverConsumer}): assigned, never a group member,
     * never committing; the group id only lets it read where the group's owner got to.
     */
    Properties takeoverConsumerProperties() {
        Properties p = consumerProperties("-takeover");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, consumerGroup);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return p;
    }

    /**
     * The group consumer of quotes.latest ({@link QuoteRelay}): {@link #consumerProperties} plus membership. A clean
     * close leaves the group at once; only a crash waits for the session timeout.
     */
    Properties groupConsumerProperties() {
        Properties p = consumerProperties("");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, consumerGroup);
        // a new group starts from the compacted history: republishing old values is harmless (seq dedup), skipping is not
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // notice the topic (or new partitions) soon after streams-processor creates them
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "5000");
        // only the partitions that actually move are revoked when edges join or leave
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, String.valueOf(sessionTimeout.toMillis()));
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, String.valueOf(groupHeartbeatInterval.toMillis()));
        return p;
    }

    private static String millis(Duration d) {
        return d == null ? "null" : d.toMillis() + " ms";
    }

    private static void require(List<String> problems, boolean ok, String message) {
        if (!ok) {
            problems.add(message);
        }
    }

    @Override
    public String toString() {
        return "BridgeConfig[kafka=" + bootstrapServers + ", redis=" + Redact.url(redisUrl) + ", edgeId=" + edgeId + ", group="
                + consumerGroup + ", quoteTtl=" + quoteTtl + ", activeSymbolsTtl=" + activeSymbolsTtl + "]";
    }
}

package io.stocktracker.edge.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

class BridgeConfigTest {
    private static BridgeConfig config(Map<String, String> env) {
        return BridgeFixtures.config("localhost:9092", "redis://127.0.0.1:6379", "edge-1", env);
    }

    @Test
    void defaultsMatchTheDesign() {
        BridgeConfig c = config(Map.of());
        assertThat(c.consumerGroup()).isEqualTo("ws-edge");
        assertThat(c.quoteTtl()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.activeSymbolsTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config(Map.of("EDGE_CONSUMER_GROUP", "g", "QUOTE_TTL_SECONDS", "3", "ACTIVE_SYMBOLS_TTL_SECONDS", "9",
                "REDIS_RECONNECT_MAX_BACKOFF_MS", "500")))
                .isEqualTo(new BridgeConfig("localhost:9092", "redis://127.0.0.1:6379", "edge-1", "g", Duration.ofSeconds(3),
                        Duration.ofSeconds(9), Duration.ofMillis(500), Duration.ofSeconds(15), Duration.ofSeconds(3),
                        Duration.ofMillis(1000)));
    }

    @Test
    void theGroupConsumerUsesTheConfiguredSessionTimeoutAndHeartbeat() {
        BridgeConfig c = config(Map.of("EDGE_CONSUMER_GROUP", "g", "KAFKA_SESSION_TIMEOUT_MS", "6000", "KAFKA_HEARTBEAT_INTERVAL_MS", "1500"));
        Properties p = c.groupConsumerProperties();
        assertThat(p.getProperty(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)).isEqualTo("6000");
        assertThat(p.getProperty(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG)).isEqualTo("1500");
        assertThat(p.getProperty(ConsumerConfig.GROUP_ID_CONFIG)).isEqualTo("g");
        assertThat(p.getProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG)).isEqualTo("false");
        assertThat(p.getProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG)).isEqualTo("read_committed");
    }

    @Test
    void rejectsAHeartbeatThatCouldExpireALiveMember() {
        assertThat(config(Map.of("KAFKA_SESSION_TIMEOUT_MS", "3000", "KAFKA_HEARTBEAT_INTERVAL_MS", "1000")).sessionTimeout())
                .isEqualTo(Duration.ofSeconds(3));
        assertThatThrownBy(() -> config(Map.of("KAFKA_SESSION_TIMEOUT_MS", "6000", "KAFKA_HEARTBEAT_INTERVAL_MS", "2001")))
                .hasMessageContaining("groupHeartbeatInterval (KAFKA_HEARTBEAT_INTERVAL_MS, 2001 ms) must be at most a third");
        assertThatThrownBy(() -> config(Map.of("KAFKA_SESSION_TIMEOUT_MS", "999", "KAFKA_HEARTBEAT_INTERVAL_MS", "100")))
                .hasMessageContaining("KAFKA_SESSION_TIMEOUT_MS");
        BridgeConfig ok = config(Map.of());
        assertThatThrownBy(() -> new BridgeConfig("k:9092", "redis://x:1", "e", "g", ok.quoteTtl(), ok.activeSymbolsTtl(),
                ok.redisReconnectMaxBackoff(), Duration.ofMillis(999), Duration.ofMillis(100), ok.relayTakeoverAfter()))
                .hasMessageContaining("sessionTimeout (KAFKA_SESSION_TIMEOUT_MS) must be at least 1000 ms");
        assertThatThrownBy(() -> new BridgeConfig("k:9092", "redis://x:1", "e", "g", ok.quoteTtl(), ok.activeSymbolsTtl(),
                ok.redisReconnectMaxBackoff(), ok.sessionTimeout(), null, ok.relayTakeoverAfter()))
                .hasMessageContaining("groupHeartbeatInterval");
    }

    @Test
    void rejectsBadValuesWithMessagesNamingTheSetting() {
        BridgeConfig ok = config(Map.of());
        assertThatThrownBy(() -> new BridgeConfig(" ", "redis://x:1", "e", "g", ok.quoteTtl(), ok.activeSymbolsTtl(),
                ok.redisReconnectMaxBackoff(), ok.sessionTimeout(), ok.groupHeartbeatInterval(), ok.relayTakeoverAfter()))
                .hasMessageContaining("bootstrapServers");
        assertThatThrownBy(() -> BridgeFixtures.config("k:9092", "http://x:1", "e", Map.of())).hasMessageContaining("redisUrl");
        assertThatThrownBy(() -> BridgeFixtures.config("k:9092", "redis://x:1", "edge one", Map.of())).hasMessageContaining("edgeId");
        assertThatThrownBy(() -> new BridgeConfig("k:9092", "redis://x:1", null, "g", ok.quoteTtl(), ok.activeSymbolsTtl(),
                ok.redisReconnectMaxBackoff(), ok.sessionTimeout(), ok.groupHeartbeatInterval(), ok.relayTakeoverAfter()))
                .hasMessageContaining("edgeId");
        assertThatThrownBy(() -> new BridgeConfig("k:9092", "redis://x:1", "e", "", ok.quoteTtl(), ok.activeSymbolsTtl(),
                ok.redisReconnectMaxBackoff(), ok.sessionTimeout(), ok.groupHeartbeatInterval(), ok.relayTakeoverAfter()))
                .hasMessageContaining("consumerGroup");
        assertThatThrownBy(() -> new BridgeConfig("k:9092", "redis://x:1", "e", "g", Duration.ofMillis(10), ok.activeSymbolsTtl(),
                ok.redisReconnectMaxBackoff(), ok.sessionTimeout(), ok.groupHeartbeatInterval(), ok.relayTakeoverAfter()))
                .hasMessageContaining("quoteTtl");
        assertThatThrownBy(() -> new BridgeConfig("k:9092", "redis://x:1", "e", "g", ok.quoteTtl(), Duration.ofMillis(900),
                ok.redisReconnectMaxBackoff(), ok.sessionTimeout(), ok.groupHeartbeatInterval(), ok.relayTakeoverAfter()))
                .hasMessageContaining("activeSymbolsTtl");
        assertThatThrownBy(() -> new BridgeConfig("k:9092", "redis://x:1", "e", "g", ok.quoteTtl(), ok.activeSymbolsTtl(),
                null, ok.sessionTimeout(), ok.groupHeartbeatInterval(), ok.relayTakeoverAfter()))
                .hasMessageContaining("redisReconnectMaxBackoff");
        assertThatThrownBy(() -> new BridgeConfig("k:9092", "redis://x:1", "e", "g", ok.quoteTtl(), ok.activeSymbolsTtl(),
                ok.redisReconnectMaxBackoff(), ok.sessionTimeout(), ok.groupHeartbeatInterval(), Duration.ofMillis(199)))
                .hasMessageContaining("relayTakeoverAfter (RELAY_TAKEOVER_AFTER_MS) must be at least 200 ms");
    }
}

package io.stocktracker.edge.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

class BridgeConfigTest {
    @Test
    void defaultsMatchTheDesign() {
        BridgeConfig c = BridgeConfig.of("localhost:9092", "redis://127.0.0.1:6379", "edge-1");
        assertThat(c.consumerGroup()).isEqualTo("ws-edge");
        assertThat(c.quoteTtl()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.activeSymbolsTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.withConsumerGroup("g").withQuoteTtl(Duration.ofSeconds(3)).withActiveSymbolsTtl(Duration.ofSeconds(9))
                .withRedisReconnectMaxBackoff(Duration.ofMillis(500)))
                .isEqualTo(new BridgeConfig("localhost:9092", "redis://127.0.0.1:6379", "edge-1", "g", Duration.ofSeconds(3),
                        Duration.ofSeconds(9), Duration.ofMillis(500), Duration.ofSeconds(15), Duration.ofSeconds(3),
                        Duration.ofMillis(1000)));
    }

    @Test
    void theGroupConsumerUsesTheConfiguredSessionTimeoutAndHeartbeat() {
        BridgeConfig c = BridgeConfig.of("localhost:9092", "redis://127.0.0.1:6379", "edge-1").withConsumerGroup("g")
                .withGroupTimings(Duration.ofSeconds(6), Duration.ofMillis(1500));
        Properties p = c.groupConsumerProperties();
        assertThat(p.getProperty(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG)).isEqualTo("6000");
        assertThat(p.getProperty(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG)).isEqualTo("1500");
        assertThat(p.getProperty(ConsumerConfig.GROUP_ID_CONFIG)).isEqualTo("g");
        assertThat(p.getProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG)).isEqualTo("false");
        assertThat(p.getProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG)).isEqualTo("read_committed");
    }

    @Test
    void rejectsAHeartbeatThatCouldExpireALiveMember() {
        BridgeConfig ok = BridgeConfig.of("localhost:9092", "redis://127.0.0.1:6379", "edge-1");
        assertThat(ok.withGroupTimings(Duration.ofSeconds(3), Duration.ofSeconds(1)).sessionTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThatThrownBy(() -> ok.withGroupTimings(Duration.ofSeconds(6), Duration.ofMillis(2001)))
                .hasMessageContaining("groupHeartbeatInterval (KAFKA_HEARTBEAT_INTERVAL_MS, 2001 ms) must be at most a third");
        assertThatThrownBy(() -> ok.withGroupTimings(Duration.ofMillis(999), Duration.ofMillis(100)))
                .hasMessageContaining("sessionTimeout (KAFKA_SESSION_TIMEOUT_MS) must be at least 1000 ms");
        assertThatThrownBy(() -> ok.withGroupTimings(Duration.ofSeconds(6), null)).hasMessageContaining("groupHeartbeatInterval");
    }

    @Test
    void rejectsBadValuesWithMessagesNamingTheSetting() {
        BridgeConfig ok = BridgeConfig.of("localhost:9092", "redis://127.0.0.1:6379", "edge-1");
        assertThatThrownBy(() -> BridgeConfig.of(" ", "redis://x:1", "e")).hasMessageContaining("bootstrapServers");
        assertThatThrownBy(() -> BridgeConfig.of("k:9092", "http://x:1", "e")).hasMessageContaining("redisUrl");
        assertThatThrownBy(() -> BridgeConfig.of("k:9092", "redis://x:1", "edge one")).hasMessageContaining("edgeId");
        assertThatThrownBy(() -> BridgeConfig.of("k:9092", "redis://x:1", null)).hasMessageContaining("edgeId");
        assertThatThrownBy(() -> ok.withConsumerGroup("")).hasMessageContaining("consumerGroup");
        assertThatThrownBy(() -> ok.withQuoteTtl(Duration.ofMillis(10))).hasMessageContaining("quoteTtl");
        assertThatThrownBy(() -> ok.withActiveSymbolsTtl(Duration.ofMillis(900))).hasMessageContaining("activeSymbolsTtl");
        assertThatThrownBy(() -> ok.withRedisReconnectMaxBackoff(null)).hasMessageContaining("redisReconnectMaxBackoff");
        assertThatThrownBy(() -> new BridgeConfig("k:9092", "redis://x:1", "e", "g", ok.quoteTtl(), ok.activeSymbolsTtl(),
                ok.redisReconnectMaxBackoff(), ok.sessionTimeout(), ok.groupHeartbeatInterval(), Duration.ofMillis(199)))
                .hasMessageContaining("relayTakeoverAfter (RELAY_TAKEOVER_AFTER_MS) must be at least 200 ms");
    }
}

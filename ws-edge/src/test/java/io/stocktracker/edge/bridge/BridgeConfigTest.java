package io.stocktracker.edge.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
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
                        Duration.ofSeconds(9), Duration.ofMillis(500)));
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
    }
}

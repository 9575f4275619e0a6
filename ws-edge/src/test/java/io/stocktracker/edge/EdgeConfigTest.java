package io.stocktracker.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stocktracker.edge.bridge.BridgeConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EdgeConfigTest {
    @Test
    void defaultsMatchTheDesign() {
        EdgeConfig c = EdgeConfig.defaults();
        assertThat(c.port()).isEqualTo(8081);
        assertThat(c.consumerGroup()).isEqualTo("ws-edge");
        assertThat(c.quoteTtl()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.activeSymbolsTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.heartbeatTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(c.maxFrameBytes()).isEqualTo(4096);
        assertThat(c.maxSymbolsPerMessage()).isEqualTo(50);
        assertThat(c.maxSubscriptions()).isEqualTo(200);
        assertThat(c.messageRatePerSecond()).isEqualTo(20);
        assertThat(c.messageBurst()).isEqualTo(40);
        assertThat(c.permessageDeflate()).isFalse();
        assertThat(c.authMode()).isEqualTo(EdgeConfig.AuthMode.none);
        assertThat(c.corsOrigins()).containsExactly("*");
        assertThat(c.edgeId()).isNotBlank().matches("[A-Za-z0-9._:-]+");
        assertThat(c.ui().enableWebSocket()).isTrue();
        assertThat(c.ui().rolloutPercent()).isEqualTo(100);
    }

    @Test
    void readsEveryOverride() {
        EdgeConfig c = EdgeConfig.fromEnv(Map.of("EDGE_PORT", "0", "EDGE_ID", "edge-7", "CORS_ORIGINS", "https://a.test, https://b.test",
                "AUTH_MODE", "JWT", "JWT_SECRET", "x".repeat(32), "VITE_WS_URL", "wss://ws.example", "VITE_WS_ROLLOUT_PERCENT", "10",
                "PERMESSAGE_DEFLATE", "true", "MESSAGE_RATE_PER_SECOND", "2.5", "MESSAGE_BURST", "5"));
        assertThat(c.port()).isZero();
        assertThat(c.edgeId()).isEqualTo("edge-7");
        assertThat(c.corsOrigins()).containsExactly("https://a.test", "https://b.test");
        assertThat(c.authMode()).isEqualTo(EdgeConfig.AuthMode.jwt);
        assertThat(c.ui().wsUrl()).isEqualTo("wss://ws.example");
        assertThat(c.ui().rolloutPercent()).isEqualTo(10);
        assertThat(c.permessageDeflate()).isTrue();
        assertThat(c.messageRatePerSecond()).isEqualTo(2.5);
        assertThat(c.toString()).doesNotContain("xxxx");
    }

    @Test
    void jwtModeNeedsAKeySourceAndNamesEachProblem() {
        assertThatThrownBy(() -> EdgeConfig.fromEnv(Map.of("AUTH_MODE", "jwt", "JWT_ALGORITHMS", "none,RS256",
                "JWT_MAX_LIFETIME_SECONDS", "0")))
                .hasMessageContaining("JWT_ALGORITHMS may name only HS256, RS256, ES256 (was 'none')")
                .hasMessageContaining("AUTH_MODE=jwt needs JWT_SECRET (HS256) or JWT_JWKS_URL / JWT_JWKS_FILE")
                .hasMessageContaining("JWT_MAX_LIFETIME_SECONDS must be between 60");
        EdgeConfig c = EdgeConfig.fromEnv(Map.of("AUTH_MODE", "jwt", "JWT_JWKS_URL", "https://issuer.example/.well-known/jwks.json",
                "JWT_ISSUER", "https://issuer.example/", "JWT_AUDIENCE", "stocktracker", "JWT_MAX_LIFETIME_SECONDS", "3600"));
        assertThat(c.jwt().algorithms()).extracting(Object::toString).containsExactlyInAnyOrder("RS256", "ES256");
        assertThat(c.jwt().issuer()).isEqualTo("https://issuer.example/");
        assertThat(c.jwt().audience()).isEqualTo("stocktracker");
        assertThat(c.jwt().maxLifetime()).isEqualTo(java.time.Duration.ofHours(1));
        assertThat(EdgeConfig.defaults().jwt().maxLifetime()).isEqualTo(java.time.Duration.ofDays(1));
    }

    @Test
    void theReadmeDocumentsEverySetting() throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md"));
        for (String key : EdgeConfig.KEYS.keys().stream().map(k -> k.name()).toList()) {
            assertThat(readme).as("ws-edge/README.md documents " + key).contains("| `" + key + "` |");
        }
    }

    @Test
    void aBlankValueTakesTheDefaultAsEveryServiceDoes() {
        EdgeConfig c = EdgeConfig.fromEnv(Map.of("EDGE_PORT", "", "MAX_SUBSCRIPTIONS", "  ", "CORS_ORIGINS", ""));
        assertThat(c.port()).isEqualTo(8081);
        assertThat(c.maxSubscriptions()).isEqualTo(200);
        assertThat(c.corsOrigins()).containsExactly("*");
        assertThat(EdgeConfig.fromEnv(Map.of("CORS_ORIGINS", "none")).corsOrigins()).isEmpty();
    }

    @Test
    void secretsNeverAppearInAnError() {
        assertThatThrownBy(() -> EdgeConfig.fromEnv(Map.of("AUTH_MODE", "jwt", "JWT_SECRET", "short-secret-value",
                "TLS_KEYSTORE_PASSWORD", "ks-pass", "EDGE_PORT", "x")))
                .hasMessageContaining("EDGE_PORT").satisfies(e -> assertThat(e.getMessage()).doesNotContain("short-secret-value")
                        .doesNotContain("ks-pass"));
    }

    @Test
    void reportsEveryBadValueAtOnce() {
        assertThatThrownBy(() -> EdgeConfig.fromEnv(Map.of("EDGE_PORT", "http", "MAX_FRAME_BYTES", "1",
                "HEARTBEAT_INTERVAL_MS", "5000", "HEARTBEAT_TIMEOUT_MS", "1000", "AUTH_MODE", "jwt", "PERMESSAGE_DEFLATE", "maybe")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("EDGE_PORT must be a whole number")
                .hasMessageContaining("MAX_FRAME_BYTES must be between")
                .hasMessageContaining("HEARTBEAT_TIMEOUT_MS must be greater")
                .hasMessageContaining("JWT_SECRET")
                .hasMessageContaining("PERMESSAGE_DEFLATE");
    }

    @Test
    void appliesTheBridgesRulesToo() {
        assertThatThrownBy(() -> EdgeConfig.fromEnv(Map.of("EDGE_ID", "has spaces/and slashes")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("edgeId");
        assertThatThrownBy(() -> EdgeConfig.fromEnv(Map.of("REDIS_URL", "localhost:6379")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("redisUrl");
        assertThat(EdgeConfig.defaults().bridgeConfig().consumerGroup()).isEqualTo("ws-edge");
    }

    @Test
    void groupTimingsReachTheBridgeAndDefaultToTheBridgesOwn() {
        EdgeConfig d = EdgeConfig.defaults();
        assertThat(d.bridgeConfig().sessionTimeout()).isEqualTo(BridgeConfig.DEFAULT_SESSION_TIMEOUT).isEqualTo(Duration.ofSeconds(15));
        assertThat(d.bridgeConfig().groupHeartbeatInterval()).isEqualTo(BridgeConfig.DEFAULT_GROUP_HEARTBEAT_INTERVAL);
        assertThat(d.bridgeConfig().redisReconnectMaxBackoff()).isEqualTo(BridgeConfig.DEFAULT_REDIS_RECONNECT_MAX_BACKOFF);
        EdgeConfig c = EdgeConfig.fromEnv(Map.of("KAFKA_SESSION_TIMEOUT_MS", "6000", "KAFKA_HEARTBEAT_INTERVAL_MS", "2000",
                "REDIS_RECONNECT_MAX_BACKOFF_MS", "750", "SHUTDOWN_GRACE_MS", "8000"));
        assertThat(c.bridgeConfig().sessionTimeout()).isEqualTo(Duration.ofSeconds(6));
        assertThat(c.bridgeConfig().groupHeartbeatInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.bridgeConfig().redisReconnectMaxBackoff()).isEqualTo(Duration.ofMillis(750));
        assertThat(c.shutdownGrace()).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void rejectsGroupTimingsThatWouldExpireALiveEdge() {
        assertThatThrownBy(() -> EdgeConfig.fromEnv(Map.of("KAFKA_SESSION_TIMEOUT_MS", "6000", "KAFKA_HEARTBEAT_INTERVAL_MS", "2500")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KAFKA_HEARTBEAT_INTERVAL_MS, 2500 ms) must be at most a third of sessionTimeout (KAFKA_SESSION_TIMEOUT_MS, 6000 ms)");
        assertThatThrownBy(() -> EdgeConfig.fromEnv(Map.of("KAFKA_SESSION_TIMEOUT_MS", "500", "KAFKA_HEARTBEAT_INTERVAL_MS", "50",
                "SHUTDOWN_GRACE_MS", "-1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KAFKA_SESSION_TIMEOUT_MS must be between 1000 and 1800000 (was 500)")
                .hasMessageContaining("KAFKA_HEARTBEAT_INTERVAL_MS must be between 100")
                .hasMessageContaining("SHUTDOWN_GRACE_MS must be between 0");
    }

    @Test
    void theReadmeStatesEveryDefault() throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md"));
        EdgeConfig.KEYS.keys().forEach(k -> {
            String key = k.name();
            String value = k.defaultValue();
            if (!value.isEmpty()) {
                assertThat(readme).as("ws-edge/README.md states the default of " + key).contains("| `" + key + "` | " + value + " |");
            }
        });
    }

    @Test
    void userPolicyDefaultsOverridesAndBadValues() {
        var d = EdgeConfig.defaults().users();
        assertThat(d.tokenRefreshWindow()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.maxConnectionsPerUser()).isEqualTo(10);
        assertThat(d.messageRatePerSecond()).isEqualTo(50);
        assertThat(d.messageBurst()).isEqualTo(100);
        assertThat(d.tierSubscriptionLimits()).containsOnly(Map.entry("free", 10), Map.entry("pro", 100), Map.entry("enterprise", 250));

        var c = EdgeConfig.fromEnv(Map.of("TOKEN_REFRESH_WINDOW_MS", "1500", "MAX_CONNECTIONS_PER_USER", "2",
                "USER_MESSAGE_RATE_PER_SECOND", "0.5", "USER_MESSAGE_BURST", "3", "TIER_SUBSCRIPTION_LIMITS", "none",
                "MAX_SUBSCRIPTIONS", "7", "EDGE_PORT", "0", "KAFKA_BOOTSTRAP_SERVERS", "k:1", "REDIS_URL", "redis://r:2"));
        assertThat(c.users().tokenRefreshWindow()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.users().maxConnectionsPerUser()).isEqualTo(2);
        assertThat(c.users().messageRatePerSecond()).isEqualTo(0.5);
        assertThat(c.users().tierSubscriptionLimits()).isEmpty();

        assertThatThrownBy(() -> EdgeConfig.fromEnv(Map.of("TOKEN_REFRESH_WINDOW_MS", "5", "MAX_CONNECTIONS_PER_USER", "0",
                "USER_MESSAGE_RATE_PER_SECOND", "10", "USER_MESSAGE_BURST", "5", "TIER_SUBSCRIPTION_LIMITS", "free:ten")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TOKEN_REFRESH_WINDOW_MS must be between 100")
                .hasMessageContaining("MAX_CONNECTIONS_PER_USER must be between 1")
                .hasMessageContaining("USER_MESSAGE_BURST must be at least USER_MESSAGE_RATE_PER_SECOND")
                .hasMessageContaining("TIER_SUBSCRIPTION_LIMITS limit of 'free' must be an integer");
        assertThatThrownBy(() -> EdgeConfig.fromEnv(Map.of("TIER_SUBSCRIPTION_LIMITS", "free:10,free:20")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names tier 'free' twice");
    }

    @Test
    void clusterUserLimitBucketIdleAndIpv6PrefixDefaultsOverridesAndBadValues() {
        EdgeConfig d = EdgeConfig.defaults();
        assertThat(d.users().bucketIdle()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.users().connectionsTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.users().connectionsCheckTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(d.ipv6ConnectionPrefix()).isEqualTo(64);

        EdgeConfig c = EdgeConfig.fromEnv(Map.of("USER_BUCKET_IDLE_MS", "0", "USER_CONNECTIONS_TTL_MS", "2000",
                "USER_CONNECTIONS_CHECK_TIMEOUT_MS", "50", "IPV6_CONNECTION_PREFIX", "128", "EDGE_PORT", "0"));
        assertThat(c.users().bucketIdle()).isZero();
        assertThat(c.users().connectionsTtl()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.users().connectionsCheckTimeout()).isEqualTo(Duration.ofMillis(50));
        assertThat(c.ipv6ConnectionPrefix()).isEqualTo(128);

        assertThatThrownBy(() -> EdgeConfig.fromEnv(Map.of("USER_BUCKET_IDLE_MS", "-1", "USER_CONNECTIONS_TTL_MS", "500",
                "USER_CONNECTIONS_CHECK_TIMEOUT_MS", "5", "IPV6_CONNECTION_PREFIX", "129")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("USER_BUCKET_IDLE_MS must be between 0")
                .hasMessageContaining("USER_CONNECTIONS_TTL_MS must be between 1000")
                .hasMessageContaining("USER_CONNECTIONS_CHECK_TIMEOUT_MS must be between 10")
                .hasMessageContaining("IPV6_CONNECTION_PREFIX must be between 1 and 128");
        assertThatThrownBy(() -> EdgeConfig.fromEnv(Map.of("USER_CONNECTIONS_TTL_MS", "1000", "USER_CONNECTIONS_CHECK_TIMEOUT_MS", "1000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("USER_CONNECTIONS_CHECK_TIMEOUT_MS must be less than USER_CONNECTIONS_TTL_MS");
    }
}

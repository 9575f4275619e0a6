package io.stocktracker.edge;

import io.stocktracker.edge.bars.BarSession;
import io.stocktracker.edge.bars.BarsPolicy;
import io.stocktracker.edge.bridge.BridgeConfig;
import io.stocktracker.edge.security.AdmissionPolicy;
import io.stocktracker.edge.security.OriginPolicy;
import io.stocktracker.edge.security.JwtSettings;
import io.stocktracker.edge.security.TierLimits;
import io.stocktracker.edge.security.TransportSecurity;
import io.stocktracker.edge.security.TrustedProxies;
import io.stocktracker.edge.security.UserPolicy;
import io.stocktracker.edge.universe.SymbolPolicy;
import io.stocktracker.kit.config.EnvKeys;
import io.stocktracker.kit.config.EnvReader;
import io.stocktracker.kit.id.InstanceId;
import io.stocktracker.kit.logging.Redact;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything the edge reads from the environment: the declared keys of {@link #KEYS}, read by {@link #fromEnv(Map)};
 * tests and the launcher pass a map of overrides ({@link #defaults()} is the empty map).
 */
public record EdgeConfig(
        int port,
        String edgeId,
        String kafkaBootstrapServers,
        String redisUrl,
        String consumerGroup,
        Duration quoteTtl,
        Duration activeSymbolsTtl,
        Duration redisReconnectMaxBackoff,
        Duration kafkaSessionTimeout,
        Duration kafkaHeartbeatInterval,
        Duration relayTakeoverAfter,
        Duration heartbeatInterval,
        Duration heartbeatTimeout,
        int maxFrameBytes,
        int maxSymbolsPerMessage,
        int maxSubscriptions,
        double messageRatePerSecond,
        int messageBurst,
        int maxViolations,
        Duration violationWindow,
        int maxPendingSymbols,
        Duration slowConsumerMaxStall,
        long slowConsumerMaxConflations,
        int maxConnections,
        int maxConnectionsPerIp,
        boolean permessageDeflate,
        AuthMode authMode,
        JwtSettings jwt,
        List<String> corsOrigins,
        Duration shutdownGrace,
        UiConfig ui,
        TransportSecurity transport,
        UserPolicy users,
        int ipv6ConnectionPrefix,
        SymbolPolicy symbols,
        AdmissionPolicy admission,
        BarsPolicy bars,
        WarmupPolicy warmup,
        int httpMaxThreads) {

    public enum AuthMode { none, jwt }

    /** How much synthetic traffic runs through the quote path before /ready (see EdgeWarmup); 0 quotes = none. */
    public record WarmupPolicy(int quotes, Duration budget) {
    }

    /** What {@code /config.js} hands the browser app, so one build can be configured at run time. */
    public record UiConfig(String wsUrl, boolean enableWebSocket, boolean fallbackToPolling, long reconnectIntervalMs,
                           int rolloutPercent, String wireFormat) {
    }

    /** Every key this record reads, with its default ("" = unset), in the README's order; a test keeps the README in step. */
    public static final EnvKeys KEYS = EnvKeys.of("ws-edge")
            .key("EDGE_PORT", "8081", "HTTP/WebSocket port; 0 = any free port")
            .key("EDGE_ID", "", "this edge's id; unset = host name + random suffix")
            .key("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092", "Kafka brokers")
            .key("REDIS_URL", "redis://localhost:6379", "Redis")
            .key("EDGE_CONSUMER_GROUP", BridgeConfig.DEFAULT_GROUP, "the group sharing quotes.latest between edges")
            .key("QUOTE_TTL_SECONDS", seconds(BridgeConfig.DEFAULT_QUOTE_TTL), "TTL of quote:{SYMBOL}")
            .key("ACTIVE_SYMBOLS_TTL_SECONDS", seconds(BridgeConfig.DEFAULT_ACTIVE_SYMBOLS_TTL), "TTL of this edge's active-symbols set")
            .key("REDIS_RECONNECT_MAX_BACKOFF_MS", millis(BridgeConfig.DEFAULT_REDIS_RECONNECT_MAX_BACKOFF), "cap of the Redis reconnect delay")
            .key("KAFKA_SESSION_TIMEOUT_MS", millis(BridgeConfig.DEFAULT_SESSION_TIMEOUT), "group session timeout")
            .key("KAFKA_HEARTBEAT_INTERVAL_MS", millis(BridgeConfig.DEFAULT_GROUP_HEARTBEAT_INTERVAL), "group heartbeat, at most a third of the session")
            .key("RELAY_TAKEOVER_AFTER_MS", millis(BridgeConfig.DEFAULT_RELAY_TAKEOVER_AFTER), "how long a dead edge's relay heartbeat is missed before another edge relays its partitions")
            .key("HEARTBEAT_INTERVAL_MS", "15000", "client heartbeat interval")
            .key("HEARTBEAT_TIMEOUT_MS", "45000", "client heartbeat timeout")
            .key("MAX_FRAME_BYTES", "4096", "largest client frame")
            .key("MAX_SYMBOLS_PER_MESSAGE", "50", "symbols in one subscribe")
            .key("MAX_SUBSCRIPTIONS", "200", "symbols per connection")
            .key("MESSAGE_RATE_PER_SECOND", "20", "client messages per second")
            .key("MESSAGE_BURST", "40", "client message burst")
            .key("MAX_VIOLATIONS", "20", "protocol violations before a close")
            .key("VIOLATION_WINDOW_MS", "10000", "window of MAX_VIOLATIONS")
            .key("MAX_PENDING_SYMBOLS", "256", "conflated symbols queued per client")
            .key("SLOW_CONSUMER_MAX_STALL_MS", "15000", "how long a client may not read")
            .key("SLOW_CONSUMER_MAX_CONFLATIONS", "10000", "conflations before a slow client is closed")
            .key("MAX_CONNECTIONS", "20000", "connections per edge")
            .key("MAX_CONNECTIONS_PER_IP", "500", "connections per client address")
            .key("PERMESSAGE_DEFLATE", "false", "WebSocket compression")
            .key("AUTH_MODE", "none", "none or jwt")
            .secret("JWT_SECRET", "HS256 key")
            .key("JWT_JWKS_URL", "", "JWKS of RS256/ES256 keys")
            .key("JWT_JWKS_FILE", "", "JWKS file")
            .key("JWT_ALGORITHMS", "", "accepted algorithms")
            .key("JWT_ISSUER", "", "required iss")
            .key("JWT_AUDIENCE", "", "required aud")
            .key("JWT_MAX_LIFETIME_SECONDS", "86400", "longest token lifetime accepted")
            .key("CORS_ORIGINS", "*", "REST CORS origins; none = no CORS")
            .key("SHUTDOWN_GRACE_MS", "2000", "drain time at shutdown")
            .key("VITE_WS_URL", "", "WebSocket URL handed to the browser app")
            .key("VITE_ENABLE_WEBSOCKET", "true", "browser app setting")
            .key("VITE_FALLBACK_TO_POLLING", "true", "browser app setting")
            .key("VITE_WS_RECONNECT_INTERVAL", "1000", "browser app setting")
            .key("VITE_WS_ROLLOUT_PERCENT", "100", "browser app setting")
            .key("VITE_WS_WIRE_FORMAT", "json", "json or msgpack")
            .key("TLS_KEYSTORE_PATH", "", "PKCS12 keystore: turns TLS on")
            .secret("TLS_KEYSTORE_PASSWORD", "keystore password")
            .key("TLS_PORT", "8443", "TLS listener port")
            .key("TLS_KEYSTORE_RELOAD_SECONDS", "60", "keystore reload check")
            .key("REQUIRE_HTTPS", "false", "redirect http and send HSTS")
            .key("HSTS_MAX_AGE_SECONDS", "15552000", "HSTS max-age")
            .key("TRUSTED_PROXIES", "", "proxies whose X-Forwarded-For is believed")
            .key("TOKEN_REFRESH_WINDOW_MS", "60000", "how long before expiry a token may be refreshed")
            .key("MAX_CONNECTIONS_PER_USER", "10", "connections per user across the cluster")
            .key("USER_MESSAGE_RATE_PER_SECOND", "50", "messages per second per user")
            .key("USER_MESSAGE_BURST", "100", "message burst per user")
            .key("TIER_SUBSCRIPTION_LIMITS", "free:10,pro:100,enterprise:250", "subscriptions per tier; none = no tier limits")
            .key("TIER_ALERT_LIMITS", "free:5,pro:50,enterprise:200", "price alerts per user by tier (AUTH_MODE=jwt)")
            .key("MAX_ALERTS", "20", "price alerts per connection (AUTH_MODE=none)")
            .key("USER_BUCKET_IDLE_MS", "60000", "idle time before a user's bucket is dropped")
            .key("USER_CONNECTIONS_TTL_MS", "30000", "lease of this edge's per-user counts in Redis")
            .key("USER_CONNECTIONS_CHECK_TIMEOUT_MS", "500", "how long an upgrade waits for Redis")
            .key("IPV6_CONNECTION_PREFIX", "64", "IPv6 prefix counted as one address")
            .key("SYMBOL_UNIVERSE_CHECK", "true", "refuse symbols not in symbols.universe")
            .key("SYMBOL_MAX_ACTIVE_PER_EDGE", "5000", "active symbols per edge")
            .key("SYMBOL_MAX_ACTIVE_CLUSTER", "20000", "active symbols across the cluster")
            .key("SYMBOL_CLUSTER_CHECK_TIMEOUT_MS", "500", "how long a new symbol waits for Redis")
            .key("SYMBOL_IDLE_EVICT_MS", "900000", "idle time before a symbol leaves the edge")
            .key("ADMISSION_RATE_PER_SECOND", "10", "new connections per second per address")
            .key("ADMISSION_BURST", "20", "new connection burst per address")
            .key("IDLE_UNSUBSCRIBED_TIMEOUT_MS", "120000", "close a connection that never subscribes")
            .key("ALLOWED_ORIGINS", "", "WebSocket Origin allow-list")
            .key("BARS_SESSION_ZONE", "UTC", "time zone of the chart's trading session")
            .key("BARS_SESSION_OPEN", "00:00", "local time the session opens")
            .key("BARS_MAX_SYMBOLS", "1000", "symbols whose session bars the edge keeps")
            .key("WARMUP_QUOTES", "10000", "synthetic quotes fanned out to loopback clients before /ready, so the first real clients meet compiled code; 0 = no warm-up")
            .key("WARMUP_MAX_MS", "10000", "the warm-up's time limit: past it the edge reports ready anyway")
            .key("HTTP_MAX_THREADS", "64", "Jetty's thread pool maximum (handshakes, client frames, REST); idle threads retire after 10 s");

    public static EdgeConfig defaults() {
        return fromEnv(Map.of());
    }

    /** Reads the keys of {@link #KEYS}; throws IllegalArgumentException listing every bad value at once. */
    public static EdgeConfig fromEnv(Map<String, String> env) {
        EnvReader r = KEYS.read(env);
        List<String> jwtProblems = new ArrayList<>();
        EdgeConfig config = new EdgeConfig(
                r.integer("EDGE_PORT", 0, 65535),
                InstanceId.orFromHost(r.string("EDGE_ID"), "edge", BridgeConfig.MAX_EDGE_ID),
                r.required("KAFKA_BOOTSTRAP_SERVERS"),
                r.required("REDIS_URL"),
                r.required("EDGE_CONSUMER_GROUP"),
                r.seconds("QUOTE_TTL_SECONDS", 1, 86_400),
                r.seconds("ACTIVE_SYMBOLS_TTL_SECONDS", 1, 86_400),
                r.millis("REDIS_RECONNECT_MAX_BACKOFF_MS", 10, 600_000),
                r.millis("KAFKA_SESSION_TIMEOUT_MS", 1000, 1_800_000),
                r.millis("KAFKA_HEARTBEAT_INTERVAL_MS", 100, 600_000),
                r.millis("RELAY_TAKEOVER_AFTER_MS", 200, 600_000),
                r.millis("HEARTBEAT_INTERVAL_MS", 10, 3_600_000),
                r.millis("HEARTBEAT_TIMEOUT_MS", 10, 3_600_000),
                r.integer("MAX_FRAME_BYTES", 256, 1 << 20),
                r.integer("MAX_SYMBOLS_PER_MESSAGE", 1, 10_000),
                r.integer("MAX_SUBSCRIPTIONS", 1, 100_000),
                r.decimal("MESSAGE_RATE_PER_SECOND", 0.1, 1_000_000),
                r.integer("MESSAGE_BURST", 1, 1_000_000),
                r.integer("MAX_VIOLATIONS", 1, 1_000_000),
                r.millis("VIOLATION_WINDOW_MS", 100, 3_600_000),
                r.integer("MAX_PENDING_SYMBOLS", 1, 1_000_000),
                r.millis("SLOW_CONSUMER_MAX_STALL_MS", 10, 3_600_000),
                r.integer("SLOW_CONSUMER_MAX_CONFLATIONS", 1, Integer.MAX_VALUE),
                r.integer("MAX_CONNECTIONS", 1, 10_000_000),
                r.integer("MAX_CONNECTIONS_PER_IP", 1, 10_000_000),
                r.bool("PERMESSAGE_DEFLATE"),
                r.enumValue("AUTH_MODE", AuthMode.class, AuthMode.none),
                JwtSettings.of(r.string("JWT_SECRET"), r.string("JWT_JWKS_URL"), r.string("JWT_JWKS_FILE"),
                        r.list("JWT_ALGORITHMS"), r.string("JWT_ISSUER"), r.string("JWT_AUDIENCE"),
                        r.seconds("JWT_MAX_LIFETIME_SECONDS", 60, 31_536_000), jwtProblems),
                r.list("CORS_ORIGINS"),
                r.millis("SHUTDOWN_GRACE_MS", 0, 600_000),
                new UiConfig(
                        r.optional("VITE_WS_URL"),
                        r.bool("VITE_ENABLE_WEBSOCKET"),
                        r.bool("VITE_FALLBACK_TO_POLLING"),
                        r.integer("VITE_WS_RECONNECT_INTERVAL", 100, 600_000),
                        r.integer("VITE_WS_ROLLOUT_PERCENT", 0, 100),
                        r.string("VITE_WS_WIRE_FORMAT").toLowerCase(Locale.ROOT)),
                transportSecurity(r),
                userPolicy(r),
                r.integer("IPV6_CONNECTION_PREFIX", 1, 128),
                symbolPolicy(r),
                admissionPolicy(r),
                barsPolicy(r),
                new WarmupPolicy(r.integer("WARMUP_QUOTES", 0, 10_000_000), r.millis("WARMUP_MAX_MS", 0, 600_000)),
                r.integer("HTTP_MAX_THREADS", 16, 10_000));
        r.check(List.of("json", "msgpack").contains(config.ui.wireFormat()),
                "VITE_WS_WIRE_FORMAT must be json or msgpack (was '" + config.ui.wireFormat() + "')");
        r.check(config.heartbeatTimeout.compareTo(config.heartbeatInterval) > 0, "HEARTBEAT_TIMEOUT_MS must be greater than HEARTBEAT_INTERVAL_MS");
        r.check(config.admission.burst() >= config.admission.ratePerSecond(), "ADMISSION_BURST must be at least ADMISSION_RATE_PER_SECOND");
        r.check(config.messageBurst >= config.messageRatePerSecond, "MESSAGE_BURST must be at least MESSAGE_RATE_PER_SECOND");
        if (config.authMode == AuthMode.jwt) {
            jwtProblems.addAll(config.jwt.problems());
        }
        jwtProblems.forEach(r::problem);
        r.check(config.users.messageBurst() >= config.users.messageRatePerSecond(),
                "USER_MESSAGE_BURST must be at least USER_MESSAGE_RATE_PER_SECOND");
        r.check(config.users.connectionsCheckTimeout().compareTo(config.users.connectionsTtl()) < 0,
                "USER_CONNECTIONS_CHECK_TIMEOUT_MS must be less than USER_CONNECTIONS_TTL_MS");
        if (r.valid()) {
            config.transport.problems().forEach(r::problem);
            r.check(!(config.transport.tlsEnabled() && config.transport.tlsPort() != 0 && config.transport.tlsPort() == config.port),
                    "TLS_PORT must differ from EDGE_PORT (both listeners run at once)");
        }
        try {
            config.bridgeConfig(); // the bridge's own rules (edge id alphabet, Redis URL scheme, group timings, minimum TTLs)
        } catch (IllegalArgumentException e) {
            r.problem(e.getMessage());
        }
        r.done();
        return config;
    }

    /** What the Kafka/Redis bridge gets from this configuration. */
    public BridgeConfig bridgeConfig() {
        return new BridgeConfig(kafkaBootstrapServers, redisUrl, edgeId, consumerGroup, quoteTtl, activeSymbolsTtl,
                redisReconnectMaxBackoff, kafkaSessionTimeout, kafkaHeartbeatInterval, relayTakeoverAfter);
    }

    @Override
    public String toString() {
        // never print the secret
        return "EdgeConfig[port=" + port + ", edgeId=" + edgeId + ", kafka=" + kafkaBootstrapServers + ", redis=" + Redact.url(redisUrl)
                + ", group=" + consumerGroup + ", auth=" + authMode + "]";
    }

    private static TransportSecurity transportSecurity(EnvReader r) {
        String path = r.string("TLS_KEYSTORE_PATH");
        return new TransportSecurity(
                path.isEmpty() ? null : java.nio.file.Path.of(path),
                // a password may legitimately start or end with spaces: read it untrimmed
                r.untrimmed("TLS_KEYSTORE_PASSWORD"),
                r.integer("TLS_PORT", 0, 65535),
                r.seconds("TLS_KEYSTORE_RELOAD_SECONDS", 0, 86_400),
                r.bool("REQUIRE_HTTPS"),
                r.seconds("HSTS_MAX_AGE_SECONDS", 0, 63_072_000),
                TrustedProxies.parse(r.list("TRUSTED_PROXIES"), r::problem));
    }

    private static UserPolicy userPolicy(EnvReader r) {
        return new UserPolicy(
                r.millis("TOKEN_REFRESH_WINDOW_MS", 100, 86_400_000),
                r.integer("MAX_CONNECTIONS_PER_USER", 1, 10_000_000),
                r.decimal("USER_MESSAGE_RATE_PER_SECOND", 0.1, 1_000_000),
                r.integer("USER_MESSAGE_BURST", 1, 1_000_000),
                r.parsed("TIER_SUBSCRIPTION_LIMITS", spec -> TierLimits.parse(spec.equalsIgnoreCase(EnvReader.NONE) ? "" : spec, 100_000),
                        Map.of()),
                r.millis("USER_BUCKET_IDLE_MS", 0, 86_400_000),
                r.millis("USER_CONNECTIONS_TTL_MS", 1000, 3_600_000),
                r.millis("USER_CONNECTIONS_CHECK_TIMEOUT_MS", 10, 10_000),
                r.parsed("TIER_ALERT_LIMITS", spec -> TierLimits.parse("TIER_ALERT_LIMITS",
                        spec.equalsIgnoreCase(EnvReader.NONE) ? "" : spec, 100_000), Map.of()),
                r.integer("MAX_ALERTS", 1, 100_000));
    }

    private static SymbolPolicy symbolPolicy(EnvReader r) {
        return new SymbolPolicy(
                r.bool("SYMBOL_UNIVERSE_CHECK"),
                r.integer("SYMBOL_MAX_ACTIVE_PER_EDGE", 1, 10_000_000),
                r.integer("SYMBOL_MAX_ACTIVE_CLUSTER", 1, 100_000_000),
                r.millis("SYMBOL_CLUSTER_CHECK_TIMEOUT_MS", 10, 10_000),
                r.millis("SYMBOL_IDLE_EVICT_MS", 1_000, 604_800_000));
    }

    private static AdmissionPolicy admissionPolicy(EnvReader r) {
        List<String> origins = r.list("ALLOWED_ORIGINS");
        r.parsed("ALLOWED_ORIGINS", v -> OriginPolicy.of(origins), null);
        return new AdmissionPolicy(
                r.decimal("ADMISSION_RATE_PER_SECOND", 0.01, 1_000_000),
                r.integer("ADMISSION_BURST", 1, 1_000_000),
                r.millis("IDLE_UNSUBSCRIBED_TIMEOUT_MS", 0, 86_400_000),
                origins);
    }

    private static String seconds(Duration d) {
        return String.valueOf(d.toSeconds());
    }

    private static BarsPolicy barsPolicy(EnvReader r) {
        ZoneId zone = r.parsed("BARS_SESSION_ZONE", ZoneId::of, ZoneOffset.UTC);
        LocalTime open = r.parsed("BARS_SESSION_OPEN", LocalTime::parse, LocalTime.MIDNIGHT);
        return new BarsPolicy(new BarSession(zone, open), r.integer("BARS_MAX_SYMBOLS", 1, 1_000_000));
    }

    private static String millis(Duration d) {
        return String.valueOf(d.toMillis());
    }
}

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
import io.stocktracker.kit.logging.Redact;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Everything the edge reads from the environment, with its default, in one place. Build one with
 * {@link #fromEnv(Map)}; tests and the launcher pass a map of overrides ({@link #defaults()} is the empty map).
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
        BarsPolicy bars) {

    public enum AuthMode { none, jwt }

    /** What {@code /config.js} hands the browser app, so one build can be configured at run time. */
    public record UiConfig(String wsUrl, boolean enableWebSocket, boolean fallbackToPolling, long reconnectIntervalMs,
                           int rolloutPercent, String wireFormat) {
    }

    /** Every key this record reads, with its default ("" = unset). The README table is generated from this. */
    public static final Map<String, String> DEFAULTS = defaultsTable();

    private static Map<String, String> defaultsTable() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("EDGE_PORT", "8081");
        d.put("EDGE_ID", "");
        d.put("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
        d.put("REDIS_URL", "redis://localhost:6379");
        d.put("EDGE_CONSUMER_GROUP", "ws-edge");
        d.put("QUOTE_TTL_SECONDS", "10");
        d.put("ACTIVE_SYMBOLS_TTL_SECONDS", "30");
        d.put("REDIS_RECONNECT_MAX_BACKOFF_MS", "1000");
        d.put("KAFKA_SESSION_TIMEOUT_MS", "15000");
        d.put("KAFKA_HEARTBEAT_INTERVAL_MS", "3000");
        d.put("HEARTBEAT_INTERVAL_MS", "15000");
        d.put("HEARTBEAT_TIMEOUT_MS", "45000");
        d.put("MAX_FRAME_BYTES", "4096");
        d.put("MAX_SYMBOLS_PER_MESSAGE", "50");
        d.put("MAX_SUBSCRIPTIONS", "200");
        d.put("MESSAGE_RATE_PER_SECOND", "20");
        d.put("MESSAGE_BURST", "40");
        d.put("MAX_VIOLATIONS", "20");
        d.put("VIOLATION_WINDOW_MS", "10000");
        d.put("MAX_PENDING_SYMBOLS", "256");
        d.put("SLOW_CONSUMER_MAX_STALL_MS", "15000");
        d.put("SLOW_CONSUMER_MAX_CONFLATIONS", "10000");
        d.put("MAX_CONNECTIONS", "20000");
        d.put("MAX_CONNECTIONS_PER_IP", "500");
        d.put("PERMESSAGE_DEFLATE", "false");
        d.put("AUTH_MODE", "none");
        d.put("JWT_SECRET", "");
        d.put("JWT_JWKS_URL", "");
        d.put("JWT_JWKS_FILE", "");
        d.put("JWT_ALGORITHMS", "");
        d.put("JWT_ISSUER", "");
        d.put("JWT_AUDIENCE", "");
        d.put("JWT_MAX_LIFETIME_SECONDS", "86400");
        d.put("CORS_ORIGINS", "*");
        d.put("SHUTDOWN_GRACE_MS", "2000");
        d.put("VITE_WS_URL", "");
        d.put("VITE_ENABLE_WEBSOCKET", "true");
        d.put("VITE_FALLBACK_TO_POLLING", "true");
        d.put("VITE_WS_RECONNECT_INTERVAL", "1000");
        d.put("VITE_WS_ROLLOUT_PERCENT", "100");
        d.put("VITE_WS_WIRE_FORMAT", "json");
        d.put("TLS_KEYSTORE_PATH", "");
        d.put("TLS_KEYSTORE_PASSWORD", "");
        d.put("TLS_PORT", "8443");
        d.put("TLS_KEYSTORE_RELOAD_SECONDS", "60");
        d.put("REQUIRE_HTTPS", "false");
        d.put("HSTS_MAX_AGE_SECONDS", "15552000");
        d.put("TRUSTED_PROXIES", "");
        d.put("TOKEN_REFRESH_WINDOW_MS", "60000");
        d.put("MAX_CONNECTIONS_PER_USER", "10");
        d.put("USER_MESSAGE_RATE_PER_SECOND", "50");
        d.put("USER_MESSAGE_BURST", "100");
        d.put("TIER_SUBSCRIPTION_LIMITS", "free:10,pro:100,enterprise:250");
        d.put("USER_BUCKET_IDLE_MS", "60000");
        d.put("USER_CONNECTIONS_TTL_MS", "30000");
        d.put("USER_CONNECTIONS_CHECK_TIMEOUT_MS", "500");
        d.put("IPV6_CONNECTION_PREFIX", "64");
        d.put("SYMBOL_UNIVERSE_CHECK", "true");
        d.put("SYMBOL_MAX_ACTIVE_PER_EDGE", "5000");
        d.put("SYMBOL_MAX_ACTIVE_CLUSTER", "20000");
        d.put("SYMBOL_CLUSTER_CHECK_TIMEOUT_MS", "500");
        d.put("SYMBOL_IDLE_EVICT_MS", "900000");
        d.put("ADMISSION_RATE_PER_SECOND", "10");
        d.put("ADMISSION_BURST", "20");
        d.put("IDLE_UNSUBSCRIBED_TIMEOUT_MS", "120000");
        d.put("ALLOWED_ORIGINS", "");
        d.put("BARS_SESSION_ZONE", "UTC");
        d.put("BARS_SESSION_OPEN", "00:00");
        d.put("BARS_MAX_SYMBOLS", "1000");
        return Map.copyOf(d);
    }

    public static EdgeConfig defaults() {
        return fromEnv(Map.of());
    }

    /** Reads the keys of {@link #DEFAULTS}; throws IllegalArgumentException listing every bad value at once. */
    public static EdgeConfig fromEnv(Map<String, String> env) {
        Reader r = new Reader(env);
        String edgeId = r.string("EDGE_ID");
        if (edgeId.isBlank()) {
            String host = hostname().replaceAll("[^A-Za-z0-9._:-]", "-");
            edgeId = host.substring(0, Math.min(host.length(), 50)) + "-" + UUID.randomUUID().toString().substring(0, 8);
        }
        EdgeConfig config = new EdgeConfig(
                r.integer("EDGE_PORT", 0, 65535),
                edgeId,
                r.required("KAFKA_BOOTSTRAP_SERVERS"),
                r.required("REDIS_URL"),
                r.required("EDGE_CONSUMER_GROUP"),
                Duration.ofSeconds(r.integer("QUOTE_TTL_SECONDS", 1, 86_400)),
                Duration.ofSeconds(r.integer("ACTIVE_SYMBOLS_TTL_SECONDS", 1, 86_400)),
                Duration.ofMillis(r.integer("REDIS_RECONNECT_MAX_BACKOFF_MS", 10, 600_000)),
                Duration.ofMillis(r.integer("KAFKA_SESSION_TIMEOUT_MS", 1000, 1_800_000)),
                Duration.ofMillis(r.integer("KAFKA_HEARTBEAT_INTERVAL_MS", 100, 600_000)),
                Duration.ofMillis(r.integer("HEARTBEAT_INTERVAL_MS", 10, 3_600_000)),
                Duration.ofMillis(r.integer("HEARTBEAT_TIMEOUT_MS", 10, 3_600_000)),
                r.integer("MAX_FRAME_BYTES", 256, 1 << 20),
                r.integer("MAX_SYMBOLS_PER_MESSAGE", 1, 10_000),
                r.integer("MAX_SUBSCRIPTIONS", 1, 100_000),
                r.decimal("MESSAGE_RATE_PER_SECOND", 0.1, 1_000_000),
                r.integer("MESSAGE_BURST", 1, 1_000_000),
                r.integer("MAX_VIOLATIONS", 1, 1_000_000),
                Duration.ofMillis(r.integer("VIOLATION_WINDOW_MS", 100, 3_600_000)),
                r.integer("MAX_PENDING_SYMBOLS", 1, 1_000_000),
                Duration.ofMillis(r.integer("SLOW_CONSUMER_MAX_STALL_MS", 10, 3_600_000)),
                r.integer("SLOW_CONSUMER_MAX_CONFLATIONS", 1, Integer.MAX_VALUE),
                r.integer("MAX_CONNECTIONS", 1, 10_000_000),
                r.integer("MAX_CONNECTIONS_PER_IP", 1, 10_000_000),
                r.bool("PERMESSAGE_DEFLATE"),
                r.authMode(),
                JwtSettings.of(r.string("JWT_SECRET"), r.string("JWT_JWKS_URL"), r.string("JWT_JWKS_FILE"),
                        r.list("JWT_ALGORITHMS"), r.string("JWT_ISSUER"), r.string("JWT_AUDIENCE"),
                        Duration.ofSeconds(r.integer("JWT_MAX_LIFETIME_SECONDS", 60, 31_536_000)), r.errors),
                r.list("CORS_ORIGINS"),
                Duration.ofMillis(r.integer("SHUTDOWN_GRACE_MS", 0, 600_000)),
                new UiConfig(
                        blankToNull(r.string("VITE_WS_URL")),
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
                barsPolicy(r));
        if (!List.of("json", "msgpack").contains(config.ui.wireFormat())) {
            r.errors.add("VITE_WS_WIRE_FORMAT must be json or msgpack (was '" + config.ui.wireFormat() + "')");
        }
        if (config.heartbeatTimeout.compareTo(config.heartbeatInterval) <= 0) {
            r.errors.add("HEARTBEAT_TIMEOUT_MS must be greater than HEARTBEAT_INTERVAL_MS");
        }
        if (config.kafkaHeartbeatInterval.multipliedBy(3).compareTo(config.kafkaSessionTimeout) > 0) {
            r.errors.add("KAFKA_HEARTBEAT_INTERVAL_MS must be at most a third of KAFKA_SESSION_TIMEOUT_MS (was "
                    + config.kafkaHeartbeatInterval.toMillis() + " with a session timeout of " + config.kafkaSessionTimeout.toMillis() + ")");
        }
        if (config.admission.burst() < config.admission.ratePerSecond()) {
            r.errors.add("ADMISSION_BURST must be at least ADMISSION_RATE_PER_SECOND");
        }
        if (config.messageBurst < config.messageRatePerSecond) {
            r.errors.add("MESSAGE_BURST must be at least MESSAGE_RATE_PER_SECOND");
        }
        if (config.authMode == AuthMode.jwt) {
            r.errors.addAll(config.jwt.problems());
        }
        if (config.users.messageBurst() < config.users.messageRatePerSecond()) {
            r.errors.add("USER_MESSAGE_BURST must be at least USER_MESSAGE_RATE_PER_SECOND");
        }
        if (config.users.connectionsCheckTimeout().compareTo(config.users.connectionsTtl()) >= 0) {
            r.errors.add("USER_CONNECTIONS_CHECK_TIMEOUT_MS must be less than USER_CONNECTIONS_TTL_MS");
        }
        if (r.errors.isEmpty()) {
            r.errors.addAll(config.transport.problems());
            if (config.transport.tlsEnabled() && config.transport.tlsPort() != 0 && config.transport.tlsPort() == config.port) {
                r.errors.add("TLS_PORT must differ from EDGE_PORT (both listeners run at once)");
            }
        }
        if (r.errors.isEmpty()) {
            try {
                config.bridgeConfig(); // the bridge's own rules (edge id alphabet, Redis URL scheme, minimum TTLs)
            } catch (IllegalArgumentException e) {
                r.errors.add(e.getMessage());
            }
        }
        if (!r.errors.isEmpty()) {
            throw new IllegalArgumentException("invalid ws-edge configuration: " + String.join("; ", r.errors));
        }
        return config;
    }

    /** What the Kafka/Redis bridge gets from this configuration. */
    public BridgeConfig bridgeConfig() {
        return new BridgeConfig(kafkaBootstrapServers, redisUrl, edgeId, consumerGroup, quoteTtl, activeSymbolsTtl,
                redisReconnectMaxBackoff, kafkaSessionTimeout, kafkaHeartbeatInterval);
    }

    /** Same values with other infrastructure addresses: what the launcher and tests usually change. */
    public EdgeConfig withInfrastructure(String kafkaBootstrapServers, String redisUrl) {
        return new EdgeConfig(port, edgeId, kafkaBootstrapServers, redisUrl, consumerGroup, quoteTtl, activeSymbolsTtl,
                redisReconnectMaxBackoff, kafkaSessionTimeout, kafkaHeartbeatInterval, heartbeatInterval, heartbeatTimeout,
                maxFrameBytes, maxSymbolsPerMessage,
                maxSubscriptions, messageRatePerSecond, messageBurst, maxViolations, violationWindow, maxPendingSymbols,
                slowConsumerMaxStall, slowConsumerMaxConflations, maxConnections, maxConnectionsPerIp, permessageDeflate,
                authMode, jwt, corsOrigins, shutdownGrace, ui, transport, users, ipv6ConnectionPrefix, symbols, admission, bars);
    }

    public EdgeConfig withPort(int newPort) {
        return new EdgeConfig(newPort, edgeId, kafkaBootstrapServers, redisUrl, consumerGroup, quoteTtl, activeSymbolsTtl,
                redisReconnectMaxBackoff, kafkaSessionTimeout, kafkaHeartbeatInterval, heartbeatInterval, heartbeatTimeout,
                maxFrameBytes, maxSymbolsPerMessage,
                maxSubscriptions, messageRatePerSecond, messageBurst, maxViolations, violationWindow, maxPendingSymbols,
                slowConsumerMaxStall, slowConsumerMaxConflations, maxConnections, maxConnectionsPerIp, permessageDeflate,
                authMode, jwt, corsOrigins, shutdownGrace, ui, transport, users, ipv6ConnectionPrefix, symbols, admission, bars);
    }

    @Override
    public String toString() {
        // never print the secret
        return "EdgeConfig[port=" + port + ", edgeId=" + edgeId + ", kafka=" + kafkaBootstrapServers + ", redis=" + Redact.url(redisUrl)
                + ", group=" + consumerGroup + ", auth=" + authMode + "]";
    }

    private static TransportSecurity transportSecurity(Reader r) {
        String path = r.string("TLS_KEYSTORE_PATH");
        return new TransportSecurity(
                path.isEmpty() ? null : java.nio.file.Path.of(path),
                // a password may legitimately start or end with spaces: read it untrimmed
                env(r, "TLS_KEYSTORE_PASSWORD"),
                r.integer("TLS_PORT", 0, 65535),
                Duration.ofSeconds(r.integer("TLS_KEYSTORE_RELOAD_SECONDS", 0, 86_400)),
                r.bool("REQUIRE_HTTPS"),
                Duration.ofSeconds(r.integer("HSTS_MAX_AGE_SECONDS", 0, 63_072_000)),
                TrustedProxies.parse(r.list("TRUSTED_PROXIES"), r.errors::add));
    }

    private static String env(Reader r, String key) {
        String v = r.env.get(key);
        return v == null ? DEFAULTS.get(key) : v;
    }

    private static UserPolicy userPolicy(Reader r) {
        Map<String, Integer> tiers = Map.of();
        try {
            tiers = TierLimits.parse(r.string("TIER_SUBSCRIPTION_LIMITS"), 100_000);
        } catch (IllegalArgumentException e) {
            r.errors.add(e.getMessage());
        }
        return new UserPolicy(
                Duration.ofMillis(r.integer("TOKEN_REFRESH_WINDOW_MS", 100, 86_400_000)),
                r.integer("MAX_CONNECTIONS_PER_USER", 1, 10_000_000),
                r.decimal("USER_MESSAGE_RATE_PER_SECOND", 0.1, 1_000_000),
                r.integer("USER_MESSAGE_BURST", 1, 1_000_000),
                tiers,
                Duration.ofMillis(r.integer("USER_BUCKET_IDLE_MS", 0, 86_400_000)),
                Duration.ofMillis(r.integer("USER_CONNECTIONS_TTL_MS", 1000, 3_600_000)),
                Duration.ofMillis(r.integer("USER_CONNECTIONS_CHECK_TIMEOUT_MS", 10, 10_000)));
    }

    private static SymbolPolicy symbolPolicy(Reader r) {
        return new SymbolPolicy(
                r.bool("SYMBOL_UNIVERSE_CHECK"),
                r.integer("SYMBOL_MAX_ACTIVE_PER_EDGE", 1, 10_000_000),
                r.integer("SYMBOL_MAX_ACTIVE_CLUSTER", 1, 100_000_000),
                Duration.ofMillis(r.integer("SYMBOL_CLUSTER_CHECK_TIMEOUT_MS", 10, 10_000)),
                Duration.ofMillis(r.integer("SYMBOL_IDLE_EVICT_MS", 1_000, 604_800_000)));
    }

    private static AdmissionPolicy admissionPolicy(Reader r) {
        List<String> origins = r.list("ALLOWED_ORIGINS");
        try {
            OriginPolicy.of(origins);
        } catch (IllegalArgumentException e) {
            r.errors.add(e.getMessage());
        }
        return new AdmissionPolicy(
                r.decimal("ADMISSION_RATE_PER_SECOND", 0.01, 1_000_000),
                r.integer("ADMISSION_BURST", 1, 1_000_000),
                Duration.ofMillis(r.integer("IDLE_UNSUBSCRIBED_TIMEOUT_MS", 0, 86_400_000)),
                origins);
    }

    private static BarsPolicy barsPolicy(Reader r) {
        java.time.ZoneId zone = java.time.ZoneOffset.UTC;
        try {
            zone = java.time.ZoneId.of(r.string("BARS_SESSION_ZONE"));
        } catch (java.time.DateTimeException e) {
            r.errors.add("BARS_SESSION_ZONE must be a time zone id such as UTC or America/New_York (was '"
                    + r.string("BARS_SESSION_ZONE") + "')");
        }
        java.time.LocalTime open = java.time.LocalTime.MIDNIGHT;
        try {
            open = java.time.LocalTime.parse(r.string("BARS_SESSION_OPEN"));
        } catch (java.time.format.DateTimeParseException e) {
            r.errors.add("BARS_SESSION_OPEN must be a time of day HH:mm such as 09:30 (was '" + r.string("BARS_SESSION_OPEN") + "')");
        }
        return new BarsPolicy(new BarSession(zone, open), r.integer("BARS_MAX_SYMBOLS", 1, 1_000_000));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String hostname() {
        String h = System.getenv("HOSTNAME");
        if (h != null && !h.isBlank()) {
            return h;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "edge";
        }
    }

    private static final class Reader {
        private final Map<String, String> env;
        private final List<String> errors = new ArrayList<>();

        Reader(Map<String, String> env) {
            this.env = new HashMap<>(env);
        }

        String string(String key) {
            String v = env.get(key);
            if (v == null) {
                v = DEFAULTS.get(key);
            }
            if (v == null) {
                throw new IllegalStateException("no default for " + key);
            }
            return v.trim();
        }

        String required(String key) {
            String v = string(key);
            if (v.isEmpty()) {
                errors.add(key + " must not be empty");
            }
            return v;
        }

        int integer(String key, int min, int max) {
            String v = string(key);
            try {
                long n = Long.parseLong(v);
                if (n < min || n > max) {
                    errors.add(key + " must be between " + min + " and " + max + " (was " + v + ")");
                    return min;
                }
                return (int) n;
            } catch (NumberFormatException e) {
                errors.add(key + " must be an integer (was '" + v + "')");
                return min;
            }
        }

        double decimal(String key, double min, double max) {
            String v = string(key);
            try {
                double n = Double.parseDouble(v);
                if (!(n >= min && n <= max)) {
                    errors.add(key + " must be between " + min + " and " + max + " (was " + v + ")");
                    return min;
                }
                return n;
            } catch (NumberFormatException e) {
                errors.add(key + " must be a number (was '" + v + "')");
                return min;
            }
        }

        boolean bool(String key) {
            String v = string(key).toLowerCase(Locale.ROOT);
            return switch (v) {
                case "true", "1", "yes", "on" -> true;
                case "false", "0", "no", "off" -> false;
                default -> {
                    errors.add(key + " must be true or false (was '" + v + "')");
                    yield false;
                }
            };
        }

        AuthMode authMode() {
            String v = string("AUTH_MODE").toLowerCase(Locale.ROOT);
            try {
                return AuthMode.valueOf(v);
            } catch (IllegalArgumentException e) {
                errors.add("AUTH_MODE must be none or jwt (was '" + v + "')");
                return AuthMode.none;
            }
        }

        List<String> list(String key) {
            return Arrays.stream(string(key).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
    }
}

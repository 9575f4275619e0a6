package io.stocktracker.ingest;

import io.stocktracker.ingest.budget.TradingWindow;
import io.stocktracker.ingest.source.ReplaySource;
import io.stocktracker.kit.logging.Redact;
import io.stocktracker.schemas.contract.Symbols;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the ingest connector can be told, read from environment variables with the defaults in
 * {@link #ENV_DEFAULTS} (the one table; docs list the same keys). Build one in code with
 * {@link #defaults()} and {@link #toBuilder()}.
 *
 * @param sources            the provider chain in fallback order (INGEST_SOURCES)
 * @param symbols            always-on symbols (INGEST_SYMBOLS); edges add theirs through Redis
 * @param simulatedSymbolCount how many built-in tickers the quick start streams when INGEST_SYMBOLS is empty
 * @param budgetWindow       when daily-limited providers spend their credits: HH:MM-HH:MM or always (INGEST_BUDGET_WINDOW)
 * @param budgetDays         the weekdays of that window (INGEST_BUDGET_DAYS)
 * @param marketZone         the time zone of the window (INGEST_MARKET_ZONE)
 * @param offHoursSharePercent percent of a daily allowance spread over each gap between two windows
 * @param leaderElection     only the instance holding the Redis lease fetches (INGEST_LEADER_ELECTION)
 * @param leaderTtlMs        lease time to live; renewed every third of it (INGEST_LEADER_TTL_MS)
 * @param instanceId         this instance's name in the lease; empty = host name + random suffix
 * @param symbolAllowList    symbols the operator adds to the universe besides the sources' listings (SYMBOL_ALLOW_LIST)
 * @param universeRefreshMs  how often the providers' listings are fetched again (UNIVERSE_REFRESH_MS)
 * @param universeRetryMs    how soon after a listing could not be had it is tried again (UNIVERSE_RETRY_MS)
 * @param allowInsecureHttp  provider base URLs may be http (INGEST_ALLOW_INSECURE_HTTP): a local stub, in tests only
 */
public record IngestConfig(
        String kafkaBootstrapServers,
        String redisUrl,
        List<String> sources,
        String alphaVantageApiKey,
        String alphaVantageBaseUrl,
        String twelveDataApiKey,
        String twelveDataBaseUrl,
        List<String> symbols,
        long intervalMs,
        int alphaVantagePerMinute,
        int alphaVantagePerDay,
        int twelveDataPerMinute,
        int twelveDataPerDay,
        int twelveDataBatchSize,
        long httpConnectTimeoutMs,
        long httpRequestTimeoutMs,
        int retryMaxAttempts,
        long retryBaseMs,
        long retryMaxMs,
        int breakerFailureThreshold,
        long breakerOpenMs,
        long rateLimitCooldownMs,
        long unknownSymbolTtlMs,
        long closedMarketIntervalMs,
        long activeSymbolsResyncMs,
        long errorNotifyIntervalMs,
        String replayFile,
        String replaySpeed,
        boolean replayLoop,
        long simulatedSeed,
        int simulatedSymbolCount,
        int httpPort,
        String budgetWindow,
        String budgetDays,
        String marketZone,
        int offHoursSharePercent,
        boolean leaderElection,
        long leaderTtlMs,
        String instanceId,
        List<String> symbolAllowList,
        long universeRefreshMs,
        long universeRetryMs,
        boolean allowInsecureHttp) {

    public static final Set<String> KNOWN_SOURCES = Set.of("alphavantage", "twelvedata", "simulated", "replay");

    /** Env key -> default. The one place defaults live. */
    public static final Map<String, String> ENV_DEFAULTS = defaultsTable();

    private static Map<String, String> defaultsTable() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092");
        d.put("REDIS_URL", "redis://localhost:6379");
        d.put("INGEST_SOURCES", "simulated");
        d.put("ALPHAVANTAGE_API_KEY", "");
        d.put("ALPHAVANTAGE_BASE_URL", "https://www.alphavantage.co");
        d.put("TWELVEDATA_API_KEY", "");
        d.put("TWELVEDATA_BASE_URL", "https://api.twelvedata.com");
        d.put("INGEST_SYMBOLS", "");
        d.put("INGEST_INTERVAL_MS", "2000");
        // free tiers: AlphaVantage 25 requests/day (5/min), TwelveData 8 credits/min and 800/day
        d.put("ALPHAVANTAGE_PER_MINUTE", "5");
        d.put("ALPHAVANTAGE_PER_DAY", "25");
        d.put("TWELVEDATA_PER_MINUTE", "8");
        d.put("TWELVEDATA_PER_DAY", "800");
        d.put("TWELVEDATA_BATCH_SIZE", "120");
        d.put("INGEST_HTTP_CONNECT_TIMEOUT_MS", "3000");
        d.put("INGEST_HTTP_REQUEST_TIMEOUT_MS", "5000");
        d.put("INGEST_RETRY_MAX_ATTEMPTS", "2");
        d.put("INGEST_RETRY_BASE_MS", "200");
        d.put("INGEST_RETRY_MAX_MS", "1000");
        d.put("INGEST_BREAKER_FAILURE_THRESHOLD", "3");
        d.put("INGEST_BREAKER_OPEN_MS", "30000");
        d.put("INGEST_RATE_LIMIT_COOLDOWN_MS", "60000");
        // a symbol a provider does not know is not asked of it again for this long (0 = ask every cycle)
        d.put("INGEST_UNKNOWN_SYMBOL_TTL_MS", "600000");
        // when a provider says the market is closed (TwelveData is_market_open), refetch that symbol this rarely
        d.put("INGEST_CLOSED_MARKET_INTERVAL_MS", "300000");
        d.put("INGEST_ACTIVE_RESYNC_MS", "10000");
        d.put("INGEST_ERROR_NOTIFY_INTERVAL_MS", "30000");
        d.put("REPLAY_FILE", "");
        d.put("REPLAY_SPEED", "1x");
        d.put("REPLAY_LOOP", "true");
        d.put("SIMULATED_SEED", "42");
        d.put("SIMULATED_SYMBOL_COUNT", "50");
        d.put("INGEST_HTTP_PORT", "8083");
        // daily-limited providers spread their day over the US regular session (see budget.BudgetPacer)
        d.put("INGEST_BUDGET_WINDOW", "09:30-16:00");
        d.put("INGEST_BUDGET_DAYS", "MON-FRI");
        d.put("INGEST_MARKET_ZONE", "America/New_York");
        // outside the window real providers rest: the market is shut and its last price does not move
        d.put("INGEST_OFF_HOURS_SHARE_PERCENT", "0");
        // two connectors would spend the same API keys twice: only the lease holder fetches
        d.put("INGEST_LEADER_ELECTION", "true");
        // a leader stops TTL/4 before its lease can expire; a provider request in flight must fit in that margin
        d.put("INGEST_LEADER_TTL_MS", "20000");
        d.put("INGEST_INSTANCE_ID", "");
        // the universe: the providers' listings (fetched daily), the simulated/replay symbols, INGEST_SYMBOLS and these
        d.put("SYMBOL_ALLOW_LIST", "");
        d.put("UNIVERSE_REFRESH_MS", "86400000");
        d.put("UNIVERSE_RETRY_MS", "300000");
        d.put("INGEST_ALLOW_INSECURE_HTTP", "false");
        return Map.copyOf(d);
    }

    public IngestConfig {
        List<String> problems = new ArrayList<>();
        sources = sources == null ? List.of() : sources.stream().map(s -> s.strip().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).toList();
        symbols = symbols == null ? List.of() : List.copyOf(symbols);
        instanceId = instanceId == null ? "" : instanceId.strip();
        symbolAllowList = symbolAllowList == null ? List.of() : List.copyOf(symbolAllowList);
        if (kafkaBootstrapServers == null || kafkaBootstrapServers.isBlank()) {
            problems.add("KAFKA_BOOTSTRAP_SERVERS must name at least one host:port");
        }
        if (redisUrl == null || !(redisUrl.startsWith("redis://") || redisUrl.startsWith("rediss://"))) {
            problems.add("REDIS_URL must look like redis://host:port, got '" + redisUrl + "'");
        }
        if (sources.isEmpty()) {
            problems.add("INGEST_SOURCES must name at least one of " + KNOWN_SOURCES);
        }
        for (String s : sources) {
            if (!KNOWN_SOURCES.contains(s)) {
                problems.add("INGEST_SOURCES: unknown source '" + s + "' (known: " + KNOWN_SOURCES + ")");
            }
        }
        if (sources.size() != Set.copyOf(sources).size()) {
            problems.add("INGEST_SOURCES names a source twice: " + sources);
        }
        if (sources.contains("alphavantage") && (alphaVantageApiKey == null || alphaVantageApiKey.isBlank())) {
            problems.add("ALPHAVANTAGE_API_KEY is required when INGEST_SOURCES includes alphavantage");
        }
        if (sources.contains("twelvedata") && (twelveDataApiKey == null || twelveDataApiKey.isBlank())) {
            problems.add("TWELVEDATA_API_KEY is required when INGEST_SOURCES includes twelvedata");
        }
        checkUrl("ALPHAVANTAGE_BASE_URL", alphaVantageBaseUrl, allowInsecureHttp, problems);
        checkUrl("TWELVEDATA_BASE_URL", twelveDataBaseUrl, allowInsecureHttp, problems);
        for (String s : symbols) {
            if (!Symbols.isValid(s)) {
                problems.add("INGEST_SYMBOLS: '" + s + "' is not a symbol (pattern " + Symbols.PATTERN_TEXT + ")");
            }
        }
        for (String s : symbolAllowList) {
            if (!Symbols.isValid(s)) {
                problems.add("SYMBOL_ALLOW_LIST: '" + s + "' is not a symbol (pattern " + Symbols.PATTERN_TEXT + ")");
            }
        }
        if (universeRefreshMs < 60_000) {
            problems.add("UNIVERSE_REFRESH_MS must be at least 60000 (a listing is a paid request), got " + universeRefreshMs);
        }
        if (universeRetryMs < 1_000) {
            problems.add("UNIVERSE_RETRY_MS must be at least 1000, got " + universeRetryMs);
        }
        positive("INGEST_INTERVAL_MS", intervalMs, problems);
        positive("TWELVEDATA_BATCH_SIZE", twelveDataBatchSize, problems);
        positive("INGEST_HTTP_CONNECT_TIMEOUT_MS", httpConnectTimeoutMs, problems);
        positive("INGEST_HTTP_REQUEST_TIMEOUT_MS", httpRequestTimeoutMs, problems);
        positive("INGEST_RETRY_MAX_ATTEMPTS", retryMaxAttempts, problems);
        positive("INGEST_BREAKER_FAILURE_THRESHOLD", breakerFailureThreshold, problems);
        positive("INGEST_BREAKER_OPEN_MS", breakerOpenMs, problems);
        positive("INGEST_ACTIVE_RESYNC_MS", activeSymbolsResyncMs, problems);
        notNegative("ALPHAVANTAGE_PER_MINUTE", alphaVantagePerMinute, problems);
        notNegative("ALPHAVANTAGE_PER_DAY", alphaVantagePerDay, problems);
        notNegative("TWELVEDATA_PER_MINUTE", twelveDataPerMinute, problems);
        notNegative("TWELVEDATA_PER_DAY", twelveDataPerDay, problems);
        notNegative("INGEST_RETRY_BASE_MS", retryBaseMs, problems);
        notNegative("INGEST_RATE_LIMIT_COOLDOWN_MS", rateLimitCooldownMs, problems);
        notNegative("INGEST_UNKNOWN_SYMBOL_TTL_MS", unknownSymbolTtlMs, problems);
        notNegative("INGEST_CLOSED_MARKET_INTERVAL_MS", closedMarketIntervalMs, problems);
        notNegative("INGEST_ERROR_NOTIFY_INTERVAL_MS", errorNotifyIntervalMs, problems);
        notNegative("SIMULATED_SYMBOL_COUNT", simulatedSymbolCount, problems);
        if (retryMaxMs < retryBaseMs) {
            problems.add("INGEST_RETRY_MAX_MS (" + retryMaxMs + ") must be >= INGEST_RETRY_BASE_MS (" + retryBaseMs + ")");
        }
        try {
            ReplaySource.parseSpeed(replaySpeed == null ? "" : replaySpeed);
        } catch (RuntimeException e) {
            problems.add("REPLAY_SPEED must be like 1x, 10x, 0.5x or max, got '" + replaySpeed + "'");
        }
        if (httpPort < 0 || httpPort > 65535) {
            problems.add("INGEST_HTTP_PORT must be 0 (any free port) to 65535, got " + httpPort);
        }
        try {
            TradingWindow.parse(budgetWindow, budgetDays, marketZone);
        } catch (IllegalArgumentException e) {
            problems.add("INGEST_BUDGET_WINDOW / INGEST_BUDGET_DAYS / INGEST_MARKET_ZONE: " + e.getMessage());
        }
        if (offHoursSharePercent < 0 || offHoursSharePercent > 50) {
            problems.add("INGEST_OFF_HOURS_SHARE_PERCENT must be 0 to 50, got " + offHoursSharePercent);
        }
        if (leaderTtlMs < 300 || leaderTtlMs > 600_000) {
            problems.add("INGEST_LEADER_TTL_MS must be 300 to 600000 (renewed every third of it), got " + leaderTtlMs);
        }
        if (leaderElection && leaderTtlMs >= 300 && httpRequestTimeoutMs > leaderTtlMs / 4) {
            problems.add("INGEST_HTTP_REQUEST_TIMEOUT_MS (" + httpRequestTimeoutMs + ") must be at most INGEST_LEADER_TTL_MS / 4 ("
                    + leaderTtlMs / 4 + "): a request in flight must end before a leader that lost Redis can have lost its lease");
        }
        if (instanceId != null && !instanceId.isBlank() && !instanceId.strip().matches("[A-Za-z0-9._:-]{1,100}")) {
            problems.add("INGEST_INSTANCE_ID must be 1-100 letters, digits or . _ : -, got '" + instanceId + "'");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid ingest configuration:\n  - " + String.join("\n  - ", problems));
        }
    }

    /** Printed at start-up: the API keys say only whether they are set, the Redis URL hides its password. */
    @Override
    public String toString() {
        return "IngestConfig[kafka=" + kafkaBootstrapServers + ", redis=" + Redact.url(redisUrl) + ", sources=" + sources
                + ", alphaVantageApiKey=" + Redact.secret(alphaVantageApiKey) + ", alphaVantageBaseUrl=" + alphaVantageBaseUrl
                + ", twelveDataApiKey=" + Redact.secret(twelveDataApiKey) + ", twelveDataBaseUrl=" + twelveDataBaseUrl
                + ", symbols=" + symbols + ", intervalMs=" + intervalMs + ", httpPort=" + httpPort + ", leaderElection="
                + leaderElection + ", instanceId=" + instanceId + "]";
    }

    /** The documented defaults: simulated source, local Kafka and Redis. */
    public static IngestConfig defaults() {
        return fromEnv(Map.of());
    }

    public static IngestConfig fromEnv(Map<String, String> env) {
        Env e = new Env(env);
        return new IngestConfig(
                e.text("KAFKA_BOOTSTRAP_SERVERS"),
                e.text("REDIS_URL"),
                e.list("INGEST_SOURCES"),
                e.text("ALPHAVANTAGE_API_KEY"),
                e.text("ALPHAVANTAGE_BASE_URL"),
                e.text("TWELVEDATA_API_KEY"),
                e.text("TWELVEDATA_BASE_URL"),
                e.list("INGEST_SYMBOLS").stream().map(s -> s.toUpperCase(Locale.ROOT)).toList(),
                e.number("INGEST_INTERVAL_MS"),
                (int) e.number("ALPHAVANTAGE_PER_MINUTE"),
                (int) e.number("ALPHAVANTAGE_PER_DAY"),
                (int) e.number("TWELVEDATA_PER_MINUTE"),
                (int) e.number("TWELVEDATA_PER_DAY"),
                (int) e.number("TWELVEDATA_BATCH_SIZE"),
                e.number("INGEST_HTTP_CONNECT_TIMEOUT_MS"),
                e.number("INGEST_HTTP_REQUEST_TIMEOUT_MS"),
                (int) e.number("INGEST_RETRY_MAX_ATTEMPTS"),
                e.number("INGEST_RETRY_BASE_MS"),
                e.number("INGEST_RETRY_MAX_MS"),
                (int) e.number("INGEST_BREAKER_FAILURE_THRESHOLD"),
                e.number("INGEST_BREAKER_OPEN_MS"),
                e.number("INGEST_RATE_LIMIT_COOLDOWN_MS"),
                e.number("INGEST_UNKNOWN_SYMBOL_TTL_MS"),
                e.number("INGEST_CLOSED_MARKET_INTERVAL_MS"),
                e.number("INGEST_ACTIVE_RESYNC_MS"),
                e.number("INGEST_ERROR_NOTIFY_INTERVAL_MS"),
                e.text("REPLAY_FILE"),
                e.text("REPLAY_SPEED"),
                e.bool("REPLAY_LOOP"),
                e.number("SIMULATED_SEED"),
                (int) e.number("SIMULATED_SYMBOL_COUNT"),
                (int) e.number("INGEST_HTTP_PORT"),
                e.text("INGEST_BUDGET_WINDOW"),
                e.text("INGEST_BUDGET_DAYS"),
                e.text("INGEST_MARKET_ZONE"),
                (int) e.number("INGEST_OFF_HOURS_SHARE_PERCENT"),
                e.bool("INGEST_LEADER_ELECTION"),
                e.number("INGEST_LEADER_TTL_MS"),
                e.text("INGEST_INSTANCE_ID"),
                e.list("SYMBOL_ALLOW_LIST").stream().map(s -> s.toUpperCase(Locale.ROOT)).toList(),
                e.number("UNIVERSE_REFRESH_MS"),
                e.number("UNIVERSE_RETRY_MS"),
                e.bool("INGEST_ALLOW_INSECURE_HTTP"));
    }

    /** The window daily-limited providers spread their credits over. */
    public TradingWindow tradingWindow() {
        return TradingWindow.parse(budgetWindow, budgetDays, marketZone);
    }

    public Optional<String> replayFileOption() {
        return replayFile == null || replayFile.isBlank() ? Optional.empty() : Optional.of(replayFile);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** The API key travels in the query string: over plain http only to a local stub, and only when told so. */
    private static void checkUrl(String key, String value, boolean allowHttp, List<String> problems) {
        try {
            URI uri = URI.create(value == null ? "" : value);
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
                problems.add(key + " must be an http(s) URL, got '" + value + "'");
            } else if (!allowHttp && !uri.getScheme().equals("https")) {
                problems.add(key + " must be an https URL (INGEST_ALLOW_INSECURE_HTTP=true allows http, for a local test stub), got '"
                        + value + "'");
            }
        } catch (IllegalArgumentException e) {
            problems.add(key + " must be an http(s) URL, got '" + value + "'");
        }
    }

    private static void positive(String key, long value, List<String> problems) {
        if (value <= 0) {
            problems.add(key + " must be positive, got " + value);
        }
    }

    private static void notNegative(String key, long value, List<String> problems) {
        if (value < 0) {
            problems.add(key + " must not be negative (0 = unlimited where it is a budget), got " + value);
        }
    }

    /** Reads keys with the defaults table, naming the key in every parse error. */
    private record Env(Map<String, String> env) {
        String text(String key) {
            String v = env.get(key);
            if (!ENV_DEFAULTS.containsKey(key)) {
                throw new IllegalStateException("no default for " + key);
            }
            return v == null || v.isBlank() ? ENV_DEFAULTS.get(key) : v.strip();
        }

        long number(String key) {
            String v = text(key);
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid ingest configuration: " + key + " must be a whole number, got '" + v + "'");
            }
        }

        boolean bool(String key) {
            String v = text(key).toLowerCase(Locale.ROOT);
            return switch (v) {
                case "true", "1", "yes", "on" -> true;
                case "false", "0", "no", "off" -> false;
                default -> throw new IllegalArgumentException("invalid ingest configuration: " + key + " must be true or false, got '" + v + "'");
            };
        }

        List<String> list(String key) {
            return java.util.Arrays.stream(text(key).split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
    }

    /** Mutable copy for tests and the launcher. */
    public static final class Builder {
        private final Map<String, String> env = new LinkedHashMap<>();

        private Builder(IngestConfig c) {
            env.put("KAFKA_BOOTSTRAP_SERVERS", c.kafkaBootstrapServers);
            env.put("REDIS_URL", c.redisUrl);
            env.put("INGEST_SOURCES", String.join(",", c.sources));
            env.put("ALPHAVANTAGE_API_KEY", c.alphaVantageApiKey);
            env.put("ALPHAVANTAGE_BASE_URL", c.alphaVantageBaseUrl);
            env.put("TWELVEDATA_API_KEY", c.twelveDataApiKey);
            env.put("TWELVEDATA_BASE_URL", c.twelveDataBaseUrl);
            env.put("INGEST_SYMBOLS", String.join(",", c.symbols));
            env.put("INGEST_INTERVAL_MS", String.valueOf(c.intervalMs));
            env.put("ALPHAVANTAGE_PER_MINUTE", String.valueOf(c.alphaVantagePerMinute));
            env.put("ALPHAVANTAGE_PER_DAY", String.valueOf(c.alphaVantagePerDay));
            env.put("TWELVEDATA_PER_MINUTE", String.valueOf(c.twelveDataPerMinute));
            env.put("TWELVEDATA_PER_DAY", String.valueOf(c.twelveDataPerDay));
            env.put("TWELVEDATA_BATCH_SIZE", String.valueOf(c.twelveDataBatchSize));
            env.put("INGEST_HTTP_CONNECT_TIMEOUT_MS", String.valueOf(c.httpConnectTimeoutMs));
            env.put("INGEST_HTTP_REQUEST_TIMEOUT_MS", String.valueOf(c.httpRequestTimeoutMs));
            env.put("INGEST_RETRY_MAX_ATTEMPTS", String.valueOf(c.retryMaxAttempts));
            env.put("INGEST_RETRY_BASE_MS", String.valueOf(c.retryBaseMs));
            env.put("INGEST_RETRY_MAX_MS", String.valueOf(c.retryMaxMs));
            env.put("INGEST_BREAKER_FAILURE_THRESHOLD", String.valueOf(c.breakerFailureThreshold));
            env.put("INGEST_BREAKER_OPEN_MS", String.valueOf(c.breakerOpenMs));
            env.put("INGEST_RATE_LIMIT_COOLDOWN_MS", String.valueOf(c.rateLimitCooldownMs));
            env.put("INGEST_UNKNOWN_SYMBOL_TTL_MS", String.valueOf(c.unknownSymbolTtlMs));
            env.put("INGEST_CLOSED_MARKET_INTERVAL_MS", String.valueOf(c.closedMarketIntervalMs));
            env.put("INGEST_ACTIVE_RESYNC_MS", String.valueOf(c.activeSymbolsResyncMs));
            env.put("INGEST_ERROR_NOTIFY_INTERVAL_MS", String.valueOf(c.errorNotifyIntervalMs));
            env.put("REPLAY_FILE", c.replayFile == null ? "" : c.replayFile);
            env.put("REPLAY_SPEED", c.replaySpeed);
            env.put("REPLAY_LOOP", String.valueOf(c.replayLoop));
            env.put("SIMULATED_SEED", String.valueOf(c.simulatedSeed));
            env.put("SIMULATED_SYMBOL_COUNT", String.valueOf(c.simulatedSymbolCount));
            env.put("INGEST_HTTP_PORT", String.valueOf(c.httpPort));
            env.put("INGEST_BUDGET_WINDOW", c.budgetWindow);
            env.put("INGEST_BUDGET_DAYS", c.budgetDays);
            env.put("INGEST_MARKET_ZONE", c.marketZone);
            env.put("INGEST_OFF_HOURS_SHARE_PERCENT", String.valueOf(c.offHoursSharePercent));
            env.put("INGEST_LEADER_ELECTION", String.valueOf(c.leaderElection));
            env.put("INGEST_LEADER_TTL_MS", String.valueOf(c.leaderTtlMs));
            env.put("INGEST_INSTANCE_ID", c.instanceId == null ? "" : c.instanceId);
            env.put("SYMBOL_ALLOW_LIST", String.join(",", c.symbolAllowList));
            env.put("UNIVERSE_REFRESH_MS", String.valueOf(c.universeRefreshMs));
            env.put("UNIVERSE_RETRY_MS", String.valueOf(c.universeRetryMs));
            env.put("INGEST_ALLOW_INSECURE_HTTP", String.valueOf(c.allowInsecureHttp));
        }

        /** Sets any key of {@link #ENV_DEFAULTS} by its environment name. */
        public Builder set(String envKey, Object value) {
            if (!ENV_DEFAULTS.containsKey(envKey)) {
                throw new IllegalArgumentException("unknown ingest setting " + envKey);
            }
            env.put(envKey, value == null ? "" : String.valueOf(value));
            return this;
        }

        public Builder kafka(String bootstrapServers) {
            return set("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        }

        public Builder redis(String url) {
            return set("REDIS_URL", url);
        }

        public Builder sources(String commaSeparated) {
            return set("INGEST_SOURCES", commaSeparated);
        }

        public Builder symbols(String commaSeparated) {
            return set("INGEST_SYMBOLS", commaSeparated);
        }

        public Builder intervalMs(long ms) {
            return set("INGEST_INTERVAL_MS", ms);
        }

        public Builder httpPort(int port) {
            return set("INGEST_HTTP_PORT", port);
        }

        public IngestConfig build() {
            return fromEnv(env);
        }
    }
}

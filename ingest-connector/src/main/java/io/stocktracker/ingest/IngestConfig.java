package io.stocktracker.ingest;

import io.stocktracker.ingest.budget.TradingWindow;
import io.stocktracker.ingest.source.ReplaySource;
import io.stocktracker.kit.config.EnvKeys;
import io.stocktracker.kit.config.EnvReader;
import io.stocktracker.kit.id.InstanceId;
import io.stocktracker.kit.logging.Redact;
import io.stocktracker.kit.redis.RedisUrls;
import io.stocktracker.schemas.contract.Symbols;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the ingest connector can be told, read from environment variables with the declared keys of
 * {@link #KEYS} (the one table; the README lists the same keys, checked by a test). Keys named {@code ..._MS}
 * keep their unit in the environment and are {@link Duration}s here.
 *
 * @param sources            the provider chain in fallback order (INGEST_SOURCES)
 * @param symbols            always-on symbols (INGEST_SYMBOLS); edges add theirs through Redis
 * @param simulatedSymbolCount how many built-in tickers the quick start streams when INGEST_SYMBOLS is empty
 * @param budgetWindow       when daily-limited providers spend their credits: HH:MM-HH:MM or always (INGEST_BUDGET_WINDOW)
 * @param budgetDays         the weekdays of that window (INGEST_BUDGET_DAYS)
 * @param marketZone         the time zone of the window (INGEST_MARKET_ZONE)
 * @param offHoursSharePercent percent of a daily allowance spread over each gap between two windows
 * @param leaderElection     only the instance holding the Redis lease fetches (INGEST_LEADER_ELECTION)
 * @param leaderTtl          lease time to live; renewed every third of it (INGEST_LEADER_TTL_MS)
 * @param instanceId         this instance's name in the lease; empty = host name + random suffix
 * @param symbolAllowList    symbols the operator adds to the universe besides the sources' listings (SYMBOL_ALLOW_LIST)
 * @param universeRefresh    how often the providers' listings are fetched again (UNIVERSE_REFRESH_MS)
 * @param universeRetry      how soon after a listing could not be had it is tried again (UNIVERSE_RETRY_MS)
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
        Duration interval,
        int alphaVantagePerMinute,
        int alphaVantagePerDay,
        int twelveDataPerMinute,
        int twelveDataPerDay,
        int twelveDataBatchSize,
        Duration httpConnectTimeout,
        Duration httpRequestTimeout,
        int retryMaxAttempts,
        Duration retryBase,
        Duration retryMax,
        int breakerFailureThreshold,
        Duration breakerOpen,
        Duration rateLimitCooldown,
        Duration unknownSymbolTtl,
        Duration closedMarketInterval,
        Duration activeSymbolsResync,
        Duration errorNotifyInterval,
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
        Duration leaderTtl,
        String instanceId,
        List<String> symbolAllowList,
        Duration universeRefresh,
        Duration universeRetry,
        boolean allowInsecureHttp) {

    /** The quote sources there are, by the name INGEST_SOURCES (and the launcher) uses. */
    public static final Set<String> KNOWN_SOURCES = Set.of("alphavantage", "twelvedata", "simulated", "replay");
    /** An instance id names this connector in the leader lease. */
    public static final int MAX_INSTANCE_ID = 100;
    private static final long MAX_MS = 31L * 24 * 3600 * 1000; // a month: more is a typo

    /** Every key this service reads, with its default ("" = unset): the one place defaults live. */
    public static final EnvKeys KEYS = EnvKeys.of("ingest")
            .key("KAFKA_BOOTSTRAP_SERVERS", "localhost:9092", "Kafka brokers")
            .key("REDIS_URL", "redis://localhost:6379", "Redis (active symbols, control, errors, leader lease, budget ledger)")
            .key("INGEST_SOURCES", "simulated", "provider chain in fallback order")
            .secret("ALPHAVANTAGE_API_KEY", "required when the chain includes alphavantage")
            .key("ALPHAVANTAGE_BASE_URL", "https://www.alphavantage.co", "provider base URL")
            .secret("TWELVEDATA_API_KEY", "required when the chain includes twelvedata")
            .key("TWELVEDATA_BASE_URL", "https://api.twelvedata.com", "provider base URL")
            .key("INGEST_SYMBOLS", "", "always-on symbols")
            .key("INGEST_INTERVAL_MS", "2000", "fetch cycle")
            // free tiers: AlphaVantage 25 requests/day (5/min), TwelveData 8 credits/min and 800/day
            .key("ALPHAVANTAGE_PER_MINUTE", "5", "request budget (0 = unlimited)")
            .key("ALPHAVANTAGE_PER_DAY", "25", "request budget (0 = unlimited)")
            .key("TWELVEDATA_PER_MINUTE", "8", "credit budget (0 = unlimited)")
            .key("TWELVEDATA_PER_DAY", "800", "credit budget (0 = unlimited)")
            .key("TWELVEDATA_BATCH_SIZE", "120", "symbols per batch request")
            .key("INGEST_HTTP_CONNECT_TIMEOUT_MS", "3000", "provider connect timeout")
            .key("INGEST_HTTP_REQUEST_TIMEOUT_MS", "5000", "provider request timeout")
            .key("INGEST_RETRY_MAX_ATTEMPTS", "2", "tries per provider per cycle")
            .key("INGEST_RETRY_BASE_MS", "200", "retry backoff start")
            .key("INGEST_RETRY_MAX_MS", "1000", "retry backoff cap")
            .key("INGEST_BREAKER_FAILURE_THRESHOLD", "3", "failures that open a provider's breaker")
            .key("INGEST_BREAKER_OPEN_MS", "30000", "how long an open breaker stays open")
            .key("INGEST_RATE_LIMIT_COOLDOWN_MS", "60000", "rest after a provider says 'rate limited'")
            // a symbol a provider does not know is not asked of it again for this long (0 = ask every cycle)
            .key("INGEST_UNKNOWN_SYMBOL_TTL_MS", "600000", "how long an unknown symbol is not asked again")
            // when a provider says the market is closed (TwelveData is_market_open), refetch that symbol this rarely
            .key("INGEST_CLOSED_MARKET_INTERVAL_MS", "300000", "refetch interval of a closed market's symbol")
            .key("INGEST_ACTIVE_RESYNC_MS", "10000", "re-read of the edges' active sets")
            .key("INGEST_ERROR_NOTIFY_INTERVAL_MS", "30000", "at most one error notification per source and kind this often")
            .key("REPLAY_FILE", "", "CSV or JSON lines for the replay source")
            .key("REPLAY_SPEED", "1x", "replay speed: 1x, 10x, 0.5x or max")
            .key("REPLAY_LOOP", "true", "start again at the end of the file")
            .key("SIMULATED_SEED", "42", "seed of the simulated walk")
            .key("SIMULATED_SYMBOL_COUNT", "50", "built-in tickers streamed when INGEST_SYMBOLS is empty")
            .key("INGEST_HTTP_PORT", "8083", "/health, /ready and /metrics; 0 picks a free port")
            // daily-limited providers spread their day over the US regular session (see budget.BudgetPacer)
            .key("INGEST_BUDGET_WINDOW", "09:30-16:00", "HH:MM-HH:MM or always")
            .key("INGEST_BUDGET_DAYS", "MON-FRI", "weekdays of the window")
            .key("INGEST_MARKET_ZONE", "America/New_York", "time zone of the window")
            // outside the window real providers rest: the market is shut and its last price does not move
            .key("INGEST_OFF_HOURS_SHARE_PERCENT", "0", "share of a daily allowance spent between windows")
            // two connectors would spend the same API keys twice: only the lease holder fetches
            .key("INGEST_LEADER_ELECTION", "true", "only the lease holder fetches")
            // a leader stops TTL/4 before its lease can expire; a provider request in flight must fit in that margin
            .key("INGEST_LEADER_TTL_MS", "20000", "lease time to live")
            .key("INGEST_INSTANCE_ID", "", "this instance's name in the lease; unset = host name + random suffix")
            // the universe: the providers' listings (fetched daily), the simulated/replay symbols, INGEST_SYMBOLS and these
            .key("SYMBOL_ALLOW_LIST", "", "symbols added to the universe")
            .key("UNIVERSE_REFRESH_MS", "86400000", "how often the listings are fetched again")
            .key("UNIVERSE_RETRY_MS", "300000", "retry after a failed listing")
            .key("INGEST_ALLOW_INSECURE_HTTP", "false", "provider base URLs may be http (a local stub, in tests)");

    /** Printed at start-up: the API keys say only whether they are set, the Redis URL hides its password. */
    @Override
    public String toString() {
        return "IngestConfig[kafka=" + kafkaBootstrapServers + ", redis=" + Redact.url(redisUrl) + ", sources=" + sources
                + ", alphaVantageApiKey=" + Redact.secret(alphaVantageApiKey) + ", alphaVantageBaseUrl=" + alphaVantageBaseUrl
                + ", twelveDataApiKey=" + Redact.secret(twelveDataApiKey) + ", twelveDataBaseUrl=" + twelveDataBaseUrl
                + ", symbols=" + symbols + ", interval=" + interval + ", httpPort=" + httpPort + ", leaderElection="
                + leaderElection + ", instanceId=" + instanceId + "]";
    }

    /** The documented defaults: simulated source, local Kafka and Redis. */
    public static IngestConfig defaults() {
        return fromEnv(Map.of());
    }

    /** Reads the keys of {@link #KEYS}; throws one exception naming every bad value. */
    public static IngestConfig fromEnv(Map<String, String> env) {
        EnvReader r = KEYS.read(env);
        boolean allowHttp = r.bool("INGEST_ALLOW_INSECURE_HTTP");
        IngestConfig c = new IngestConfig(
                r.required("KAFKA_BOOTSTRAP_SERVERS"),
                r.string("REDIS_URL"),
                r.list("INGEST_SOURCES").stream().map(s -> s.toLowerCase(Locale.ROOT)).toList(),
                r.string("ALPHAVANTAGE_API_KEY"),
                providerUrl(r, "ALPHAVANTAGE_BASE_URL", allowHttp),
                r.string("TWELVEDATA_API_KEY"),
                providerUrl(r, "TWELVEDATA_BASE_URL", allowHttp),
                symbols(r, "INGEST_SYMBOLS"),
                r.millis("INGEST_INTERVAL_MS", 1, MAX_MS),
                r.integer("ALPHAVANTAGE_PER_MINUTE", 0, Integer.MAX_VALUE),
                r.integer("ALPHAVANTAGE_PER_DAY", 0, Integer.MAX_VALUE),
                r.integer("TWELVEDATA_PER_MINUTE", 0, Integer.MAX_VALUE),
                r.integer("TWELVEDATA_PER_DAY", 0, Integer.MAX_VALUE),
                r.integer("TWELVEDATA_BATCH_SIZE", 1, 10_000),
                r.millis("INGEST_HTTP_CONNECT_TIMEOUT_MS", 1, MAX_MS),
                r.millis("INGEST_HTTP_REQUEST_TIMEOUT_MS", 1, MAX_MS),
                r.integer("INGEST_RETRY_MAX_ATTEMPTS", 1, 100),
                r.millis("INGEST_RETRY_BASE_MS", 0, MAX_MS),
                r.millis("INGEST_RETRY_MAX_MS", 0, MAX_MS),
                r.integer("INGEST_BREAKER_FAILURE_THRESHOLD", 1, 1_000_000),
                r.millis("INGEST_BREAKER_OPEN_MS", 1, MAX_MS),
                r.millis("INGEST_RATE_LIMIT_COOLDOWN_MS", 0, MAX_MS),
                r.millis("INGEST_UNKNOWN_SYMBOL_TTL_MS", 0, MAX_MS),
                r.millis("INGEST_CLOSED_MARKET_INTERVAL_MS", 0, MAX_MS),
                r.millis("INGEST_ACTIVE_RESYNC_MS", 1, MAX_MS),
                r.millis("INGEST_ERROR_NOTIFY_INTERVAL_MS", 0, MAX_MS),
                r.string("REPLAY_FILE"),
                r.string("REPLAY_SPEED"),
                r.bool("REPLAY_LOOP"),
                r.longValue("SIMULATED_SEED", Long.MIN_VALUE, Long.MAX_VALUE),
                r.integer("SIMULATED_SYMBOL_COUNT", 0, 100_000),
                r.integer("INGEST_HTTP_PORT", 0, 65535),
                r.string("INGEST_BUDGET_WINDOW"),
                r.string("INGEST_BUDGET_DAYS"),
                r.string("INGEST_MARKET_ZONE"),
                r.integer("INGEST_OFF_HOURS_SHARE_PERCENT", 0, 50),
                r.bool("INGEST_LEADER_ELECTION"),
                r.millis("INGEST_LEADER_TTL_MS", 300, 600_000),
                r.string("INGEST_INSTANCE_ID"),
                symbols(r, "SYMBOL_ALLOW_LIST"),
                // a listing is a paid request
                r.millis("UNIVERSE_REFRESH_MS", 60_000, MAX_MS),
                r.millis("UNIVERSE_RETRY_MS", 1_000, MAX_MS),
                allowHttp);
        r.check(RedisUrls.problem("REDIS_URL", c.redisUrl) == null, RedisUrls.problem("REDIS_URL", c.redisUrl));
        r.check(!c.sources.isEmpty(), "INGEST_SOURCES must name at least one of " + KNOWN_SOURCES);
        for (String s : c.sources) {
            r.check(KNOWN_SOURCES.contains(s), "INGEST_SOURCES: unknown source '" + s + "' (known: " + KNOWN_SOURCES + ")");
        }
        r.check(c.sources.size() == Set.copyOf(c.sources).size(), "INGEST_SOURCES names a source twice: " + c.sources);
        r.check(!c.sources.contains("alphavantage") || !c.alphaVantageApiKey.isEmpty(),
                "ALPHAVANTAGE_API_KEY is required when INGEST_SOURCES includes alphavantage");
        r.check(!c.sources.contains("twelvedata") || !c.twelveDataApiKey.isEmpty(),
                "TWELVEDATA_API_KEY is required when INGEST_SOURCES includes twelvedata");
        r.check(c.retryMax.compareTo(c.retryBase) >= 0, "INGEST_RETRY_MAX_MS (" + c.retryMax.toMillis()
                + ") must be >= INGEST_RETRY_BASE_MS (" + c.retryBase.toMillis() + ")");
        r.parsed("REPLAY_SPEED", ReplaySource::parseSpeed, 1.0);
        try {
            TradingWindow.parse(c.budgetWindow, c.budgetDays, c.marketZone);
        } catch (IllegalArgumentException e) {
            r.problem("INGEST_BUDGET_WINDOW / INGEST_BUDGET_DAYS / INGEST_MARKET_ZONE: " + e.getMessage());
        }
        long leaderMarginMs = c.leaderTtl.toMillis() / 4;
        r.check(!c.leaderElection || c.httpRequestTimeout.toMillis() <= leaderMarginMs, "INGEST_HTTP_REQUEST_TIMEOUT_MS ("
                + c.httpRequestTimeout.toMillis() + ") must be at most INGEST_LEADER_TTL_MS / 4 (" + leaderMarginMs
                + "): a request in flight must end before a leader that lost Redis can have lost its lease");
        r.check(c.instanceId.isEmpty() || InstanceId.isValid(c.instanceId, MAX_INSTANCE_ID),
                InstanceId.problem("INGEST_INSTANCE_ID", c.instanceId, MAX_INSTANCE_ID));
        r.done();
        return c;
    }

    /** The window daily-limited providers spread their credits over. */
    public TradingWindow tradingWindow() {
        return TradingWindow.parse(budgetWindow, budgetDays, marketZone);
    }

    public Optional<String> replayFileOption() {
        return replayFile.isEmpty() ? Optional.empty() : Optional.of(replayFile);
    }

    private static List<String> symbols(EnvReader r, String key) {
        List<String> symbols = r.list(key).stream().map(s -> s.toUpperCase(Locale.ROOT)).toList();
        for (String s : symbols) {
            r.check(Symbols.isValid(s), key + ": '" + s + "' is not a symbol (pattern " + Symbols.PATTERN_TEXT + ")");
        }
        return symbols;
    }

    /** The API key travels in the query string: over plain http only to a local stub, and only when told so. */
    private static String providerUrl(EnvReader r, String key, boolean allowHttp) {
        URI uri = r.uri(key, Set.of("http", "https"));
        if (uri != null && !allowHttp && !uri.getScheme().equals("https")) {
            r.problem(key + " must be an https URL (INGEST_ALLOW_INSECURE_HTTP=true allows http, for a local test stub), got '"
                    + r.string(key) + "'");
        }
        return r.string(key);
    }
}

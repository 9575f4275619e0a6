package io.stocktracker.schemas.contract;

/**
 * Redis channels and keys: the documented contract other services read. Pub/sub is at-most-once:
 * a consumer that reconnects resyncs from {@link #quoteKey(String)} or the REST API.
 */
public final class Channels {
    /** price_update and source error notifications. */
    public static final String UPDATES = "market-data:updates";
    /** subscription_change on 0->1 and 1->0 transitions of an edge's interest in a symbol. */
    public static final String SUBSCRIPTIONS = "market-data:subscriptions";
    /** pause / resume / drain commands. */
    public static final String CONTROL = "market-data:control";

    /** Prefix of the per-edge sets of active symbols; the full key is {@link #activeSymbolsKey(String)}. */
    public static final String ACTIVE_SYMBOLS = "market-data:active-symbols";
    /** Prefix of the per-user connection hashes; the full key is {@link #userConnectionsKey(String)}. */
    public static final String USER_CONNECTIONS = "market-data:user-connections";
    /** Prefix of the latest-quote string keys. */
    public static final String QUOTE_KEY_PREFIX = "quote:";
    /**
     * The ingest connector's leader lease: a string key holding the leading instance's id with a TTL
     * (SET NX PX, renewed by compare-and-pexpire). Only the holder fetches quotes, so two instances
     * never spend the same provider credits twice.
     */
    public static final String INGEST_LEADER = "ingest:leader";
    /** Prefix of the ingest connector's shared spend counters; the full key is {@link #ingestBudgetKey}. */
    public static final String INGEST_BUDGET = "ingest:budget";

    /**
     * Credits a provider spent in one pacing period (a trading window or the gap between two), counted by
     * whichever instance led, so a restarted or new leader spreads only what is really left.
     */
    public static String ingestBudgetKey(String provider, long periodStartEpochSecond) {
        return INGEST_BUDGET + ":" + provider + ":" + periodStartEpochSecond;
    }

    /** Per-edge set, refreshed with a heartbeat TTL so a dead edge's interest expires on its own. */
    public static String activeSymbolsKey(String edgeId) {
        return ACTIVE_SYMBOLS + ":" + edgeId;
    }

    /** Pattern matching every edge's active-symbols set. */
    public static String activeSymbolsPattern() {
        return ACTIVE_SYMBOLS + ":*";
    }

    /**
     * Per-user HASH of the connections a token subject holds across all edges: one field per edge id, its value
     * {@code "count:leaseUntilEpochMs"}. Each edge renews its own fields' leases on a heartbeat (and the key's TTL), so
     * a crashed edge's counts stop counting when their lease passes, and the key expires once no live edge holds it.
     */
    public static String userConnectionsKey(String subject) {
        return USER_CONNECTIONS + ":" + subject;
    }

    public static String quoteKey(String symbol) {
        return QUOTE_KEY_PREFIX + symbol;
    }

    private Channels() {}
}

package io.stocktracker.loadgen.plan;

import io.stocktracker.schemas.contract.Symbols;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A fully resolved run: a preset's numbers with the user's overrides applied and validated.
 * {@code rate} is total quotes per second over all symbols; {@code bootstrapServers} null means the
 * loadgen does not drive the feed and measures whatever the stack publishes.
 */
public record LoadPlan(
        String name,
        Scenario scenario,
        URI wsUrl,
        URI metricsUrl,
        String bootstrapServers,
        int clients,
        List<String> symbols,
        int symbolsPerClient,
        int rate,
        Duration warmup,
        Duration duration,
        Duration drain,
        double slowFraction,
        Duration slowReadDelay,
        int connectRate,
        Duration connectTimeout,
        String feedSource,
        int slowReceiveBuffer,
        List<URI> moreWsUrls) {

    /** The {@code source} of every quote the loadgen produces: only those are counted when it drives the feed. */
    public static final String FEED_SOURCE = "loadgen";
    public static final String DEFAULT_SYMBOL_PREFIX = "LG";

    public LoadPlan {
        Objects.requireNonNull(wsUrl, "wsUrl");
        symbols = List.copyOf(symbols);
        moreWsUrls = moreWsUrls == null ? List.of() : List.copyOf(moreWsUrls);
        require(clients > 0, "clients must be > 0, was " + clients);
        require(!symbols.isEmpty(), "at least one symbol is needed");
        require(symbolsPerClient > 0 && symbolsPerClient <= symbols.size(),
                "symbols per client must be between 1 and the number of symbols (" + symbols.size() + "), was " + symbolsPerClient);
        require(rate >= 0, "rate must be >= 0, was " + rate);
        require(slowFraction >= 0 && slowFraction <= 1, "slow fraction must be within 0..1, was " + slowFraction);
        require(slowReceiveBuffer >= 1024, "slow receive buffer must be >= 1024 bytes, was " + slowReceiveBuffer);
        require(connectRate >= 0, "connect rate must be >= 0 (0 = unpaced), was " + connectRate);
        require(!duration.isNegative() && !duration.isZero(), "duration must be > 0");
        for (URI u : wsUrls(wsUrl, moreWsUrls)) {
            require("ws".equals(u.getScheme()) || "wss".equals(u.getScheme()), "url must be ws:// or wss://, was " + u);
        }
        for (String s : symbols) {
            require(Symbols.isValid(s), "not a valid symbol: '" + s + "' (pattern " + Symbols.PATTERN_TEXT + ")");
        }
    }

    /** Every edge URL; client {@code i} connects to {@code wsUrls().get(i % size)}. */
    public List<URI> wsUrls() {
        return wsUrls(wsUrl, moreWsUrls);
    }

    private static List<URI> wsUrls(URI first, List<URI> more) {
        List<URI> all = new ArrayList<>();
        all.add(first);
        all.addAll(more);
        return List.copyOf(all);
    }

    public boolean drivesFeed() {
        return bootstrapServers != null && !bootstrapServers.isBlank() && rate > 0;
    }

    /** Number of clients that read slowly: the first {@code round(clients * slowFraction)} ids. */
    public int slowClients() {
        return (int) Math.round(clients * slowFraction);
    }

    /** User overrides; every null keeps the preset's value. */
    public record Overrides(
            URI wsUrl,
            URI metricsUrl,
            String bootstrapServers,
            Integer clients,
            Integer symbolCount,
            List<String> symbolList,
            String symbolPrefix,
            Integer symbolsPerClient,
            Integer rate,
            Duration warmup,
            Duration duration,
            Duration drain,
            Double slowFraction,
            Duration slowReadDelay,
            Integer connectRate,
            Duration connectTimeout,
            Integer slowReceiveBuffer,
            List<URI> moreWsUrls) {

        public static Overrides none(URI wsUrl) {
            return new Overrides(wsUrl, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        }
    }

    public static LoadPlan resolve(Preset preset, Overrides o) {
        List<String> symbols = o.symbolList() != null && !o.symbolList().isEmpty()
                ? o.symbolList().stream().map(s -> Symbols.normalize(s)
                        .orElseThrow(() -> new IllegalArgumentException("not a valid symbol: '" + s + "'"))).distinct().toList()
                : generateSymbols(or(o.symbolPrefix(), DEFAULT_SYMBOL_PREFIX), or(o.symbolCount(), preset.symbols()));
        int perClient = or(o.symbolsPerClient(), Math.min(preset.symbolsPerClient(), symbols.size()));
        URI ws = o.wsUrl();
        return new LoadPlan(
                preset.cliName(),
                preset.scenario(),
                ws,
                o.metricsUrl() != null ? o.metricsUrl() : ws == null ? null : metricsUrlFor(ws),
                o.bootstrapServers(),
                or(o.clients(), preset.clients()),
                symbols,
                perClient,
                or(o.rate(), preset.rate()),
                or(o.warmup(), Duration.ofSeconds(5)),
                or(o.duration(), preset.duration()),
                // ends as soon as everything in the window arrived; the limit only bounds a stalled pipeline
                or(o.drain(), Duration.ofSeconds(60)),
                or(o.slowFraction(), preset.slowFraction()),
                or(o.slowReadDelay(), Duration.ofMillis(500)),
                or(o.connectRate(), 1000),
                or(o.connectTimeout(), Duration.ofSeconds(30)),
                FEED_SOURCE,
                // a few KB, so the edge feels a slow reader within seconds instead of after megabytes of kernel buffer
                or(o.slowReceiveBuffer(), 4096),
                o.moreWsUrls());
    }

    /** {@code PREFIX000 .. PREFIXnnn}, zero-padded to the width of the largest index. */
    public static List<String> generateSymbols(String prefix, int count) {
        require(count > 0, "symbol count must be > 0, was " + count);
        int width = String.valueOf(count - 1).length();
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(prefix + String.format("%0" + width + "d", i));
        }
        return out;
    }

    /** ws://host:port/anything -> http://host:port/metrics (wss -> https). */
    public static URI metricsUrlFor(URI wsUrl) {
        String scheme = "wss".equals(wsUrl.getScheme()) ? "https" : "http";
        return URI.create(scheme + "://" + wsUrl.getRawAuthority() + "/metrics");
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}

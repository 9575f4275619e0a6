package io.stocktracker.ingest.source;

import io.stocktracker.schemas.model.RawQuote;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A feed simulator for demos and tests without network: each symbol follows a geometric random walk
 * with its own volatility, an opening price and previous close derived from (seed, symbol), prices on
 * a 0.01 tick (0.0001 below one dollar), and cumulative day volume in round lots. The same seed gives
 * the same sequence of prices per symbol, whatever other symbols are asked for.
 */
public final class SimulatedSource implements QuoteSource {
    public static final String SOURCE = "simulated";
    private static final double TRADING_SECONDS_PER_YEAR = 252 * 6.5 * 3600;

    private final long seed;
    private final double stepYears;
    private final Clock clock;
    private final Map<String, Walk> walks = new ConcurrentHashMap<>();

    /** @param step the simulated time between two fetches of a symbol (the ingest interval). */
    public SimulatedSource(long seed, Duration step, Clock clock) {
        this.seed = seed;
        this.stepYears = Math.max(step.toMillis(), 1) / 1000.0 / TRADING_SECONDS_PER_YEAR;
        this.clock = clock;
    }

    @Override
    public String name() {
        return SOURCE;
    }

    @Override
    public Map<String, FetchResult> fetch(List<String> symbols) {
        Instant now = clock.instant();
        Map<String, FetchResult> results = new HashMap<>();
        for (String symbol : symbols) {
            Walk walk = walks.computeIfAbsent(symbol, s -> new Walk(seed, s));
            results.put(symbol, FetchResult.of(walk.step(stepYears, symbol, now)));
        }
        return results;
    }

    /** The opening price the walk of {@code symbol} starts from under {@code seed}. */
    public static double openingPrice(long seed, String symbol) {
        return new Walk(seed, symbol).open;
    }

    static double roundToTick(double price) {
        double tick = price >= 1.0 ? 0.01 : 0.0001;
        double rounded = Math.round(price / tick) * tick;
        // keep two (or four) decimals exact in JSON, and never reach zero
        double scale = price >= 1.0 ? 100.0 : 10_000.0;
        return Math.max(tick, Math.round(rounded * scale) / scale);
    }

    private static final class Walk {
        private final SplittableRandom random;
        private final double sigma;
        private final double open;
        private final double previousClose;
        /** The walk's own unrounded price: rounding it each step would pin cheap symbols to one tick. */
        private double level;
        private double price;
        private double high;
        private double low;
        private long volume;

        Walk(long seed, String symbol) {
            // String.hashCode is specified, so the walk is reproducible across JVMs
            this.random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ symbol.hashCode());
            this.sigma = 0.15 + random.nextDouble() * 0.45;
            // known tickers start near their usual level; others log-uniform between $5 and $800
            double deviation = random.nextDouble();
            Double reference = DefaultSymbols.REFERENCE_PRICES.get(symbol);
            this.open = roundToTick(reference != null
                    ? reference * (0.95 + deviation * 0.10)
                    : Math.exp(Math.log(5) + deviation * (Math.log(800) - Math.log(5))));
            this.previousClose = roundToTick(open * (1 + gaussian() * 0.01));
            this.level = open;
            this.price = open;
            this.high = open;
            this.low = open;
            this.volume = 0;
        }

        synchronized RawQuote step(double dtYears, String symbol, Instant now) {
            double shock = sigma * Math.sqrt(dtYears) * gaussian() - 0.5 * sigma * sigma * dtYears;
            level = level * Math.exp(shock);
            price = roundToTick(level);
            high = Math.max(high, price);
            low = Math.min(low, price);
            // trade sizes are heavy-tailed: a log-normal number of round lots
            volume += 100L * Math.max(1, Math.round(Math.exp(2.5 + gaussian())));
            double change = Math.round((price - previousClose) * 10_000.0) / 10_000.0;
            double changePercent = Math.round(change / previousClose * 100 * 10_000.0) / 10_000.0;
            return new RawQuote(symbol, price, open, high, low, previousClose, volume, change, changePercent,
                    now, SOURCE, now);
        }

        private double gaussian() {
            // Box-Muller on the symbol's own stream keeps it deterministic
            double u1 = 1.0 - random.nextDouble();
            double u2 = random.nextDouble();
            return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        }
    }
}

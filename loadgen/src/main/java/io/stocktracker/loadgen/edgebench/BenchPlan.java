package io.stocktracker.loadgen.edgebench;

import io.stocktracker.loadgen.plan.LoadPlan;
import io.stocktracker.loadgen.plan.SymbolAssignment;
import java.time.Duration;
import java.util.List;

/**
 * One resolved benchmark run: a scenario's numbers with the command line's overrides, checked. The publisher's
 * rate is derived from the delivery rate: each publish reaches every subscriber of its symbol, and the
 * assignment gives every symbol {@code clients * symbolsPerClient / symbols} subscribers.
 */
public record BenchPlan(String scenario, int clients, List<String> symbols, int symbolsPerClient, double rate,
                        Duration warmup, Duration duration, Duration soak, double soakRate, List<Integer> ladder,
                        int connectRate, Duration connectTimeout, Duration maxDrain) {
    public static final String SYMBOL_PREFIX = "EB";

    public BenchPlan {
        symbols = List.copyOf(symbols);
        ladder = List.copyOf(ladder);
        require(clients > 0, "clients must be > 0, was " + clients);
        require(symbolsPerClient >= 1 && symbolsPerClient <= symbols.size(),
                "symbols per client must be 1.." + symbols.size() + ", was " + symbolsPerClient);
        require(rate >= 0 && soakRate >= 0, "rates must be >= 0");
        require(duration.toMillis() > 0, "duration must be > 0");
        require(!warmup.isNegative() && !soak.isNegative(), "warm-up and soak must be >= 0");
        require(ladder.stream().allMatch(r -> r > 0), "ladder rates must be > 0");
        require(connectRate >= 0, "connect rate must be >= 0 (0 = unpaced)");
    }

    /** Overrides from the command line; null keeps the scenario's value. */
    public record Overrides(Integer clients, Integer symbols, Integer symbolsPerClient, Double rate, Double publishRate,
                            Duration warmup, Duration duration, Duration soak, Double soakRate, List<Integer> ladder,
                            Integer connectRate, Duration connectTimeout, Duration maxDrain) {
        public static Overrides none() {
            return new Overrides(null, null, null, null, null, null, null, null, null, null, null, null, null);
        }
    }

    public static BenchPlan resolve(BenchScenario s, Overrides o) {
        int clients = or(o.clients(), s.clients);
        int symbolCount = or(o.symbols(), s.symbols);
        int perClient = or(o.symbolsPerClient(), Math.min(s.symbolsPerClient, symbolCount));
        require(o.rate() == null || o.publishRate() == null, "give --rate or --publish-rate, not both");
        double subscribersPerSymbol = (double) clients * perClient / symbolCount;
        double rate = o.publishRate() != null ? o.publishRate() * subscribersPerSymbol : or(o.rate(), (double) s.rate);
        return new BenchPlan(s.cliName(), clients, LoadPlan.generateSymbols(SYMBOL_PREFIX, symbolCount), perClient, rate,
                or(o.warmup(), s.warmup), or(o.duration(), s.duration), or(o.soak(), s.soak), or(o.soakRate(), (double) s.soakRate),
                or(o.ladder(), s.ladder), or(o.connectRate(), 2_000), or(o.connectTimeout(), Duration.ofSeconds(60)),
                or(o.maxDrain(), Duration.ofSeconds(30)));
    }

    /** Average subscribers of a symbol (exact when {@code clients * symbolsPerClient} is a multiple of the symbols). */
    public double subscribersPerSymbol() {
        return (double) clients * symbolsPerClient / symbols.size();
    }

    /** Publishes per second into Redis that make {@code deliveriesPerSecond} quote deliveries per second. */
    public double publishRateFor(double deliveriesPerSecond) {
        return deliveriesPerSecond / subscribersPerSymbol();
    }

    public boolean idle() {
        return rate == 0 && ladder.isEmpty();
    }

    public List<List<String>> symbolsPerClientList() {
        SymbolAssignment a = new SymbolAssignment(symbols, symbolsPerClient, clients);
        return java.util.stream.IntStream.range(0, clients).mapToObj(a::symbolsFor).toList();
    }

    private static <T> T or(T v, T fallback) {
        return v != null ? v : fallback;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}

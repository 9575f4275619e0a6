package io.stocktracker.loadgen.edgebench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The rows of issue 12's table, by name. {@code rate} is quote deliveries per second over all clients (a quote
 * inside a {@code batch_update} counts), as the table counts them; the publisher's rate follows from it.
 */
public enum BenchScenario {
    FLOOR("floor", 1, 1, 1, 20, Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ZERO, 0, List.of(),
            "1 client, 1 symbol, 20 quotes/s: the latency floor"),
    SEED("seed", 100, 50, 50, 5_000, Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ZERO, 0, List.of(),
            "100 clients x 50 symbols, each symbol once a second (5K quotes/s)"),
    FRESH_100K("fresh-100k", 1_000, 100, 10, 100_000, Duration.ofSeconds(20), Duration.ofSeconds(5), Duration.ZERO, 0,
            List.of(), "1,000 clients x 10 of 100 symbols at 100K quotes/s against a freshly started edge"),
    WARM_100K("warm-100k", 1_000, 100, 10, 100_000, Duration.ofSeconds(20), Duration.ofSeconds(5), Duration.ofMinutes(3),
            20_000, List.of(), "as fresh-100k after 3 minutes at 20K quotes/s"),
    FANOUT_5K("fanout-5k", 5_000, 500, 10, 50_000, Duration.ofSeconds(20), Duration.ofSeconds(5), Duration.ZERO, 0,
            List.of(), "5,000 clients x 10 of 500 symbols at 50K quotes/s"),
    MAX_RATE("max-rate", 1_000, 100, 10, 100_000, Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ZERO, 0,
            List.of(100_000, 150_000, 200_000, 250_000, 300_000, 350_000, 400_000),
            "1,000 clients x 10 of 100: rates stepped up until delivery < 99 % or p99 > 1 s"),
    IDLE_10K("idle-10k", 10_000, 100, 1, 0, Duration.ofSeconds(5), Duration.ZERO, Duration.ZERO, 0, List.of(),
            "10,000 subscribed connections and no quotes: edge RSS per idle connection");

    private final String cliName;
    final int clients;
    final int symbols;
    final int symbolsPerClient;
    final int rate;
    final Duration duration;
    final Duration warmup;
    final Duration soak;
    final int soakRate;
    final List<Integer> ladder;
    final String description;

    BenchScenario(String cliName, int clients, int symbols, int symbolsPerClient, int rate, Duration duration,
                  Duration warmup, Duration soak, int soakRate, List<Integer> ladder, String description) {
        this.cliName = cliName;
        this.clients = clients;
        this.symbols = symbols;
        this.symbolsPerClient = symbolsPerClient;
        this.rate = rate;
        this.duration = duration;
        this.warmup = warmup;
        this.soak = soak;
        this.soakRate = soakRate;
        this.ladder = ladder;
        this.description = description;
    }

    public String cliName() {
        return cliName;
    }

    public static BenchScenario parse(String name) {
        return Arrays.stream(values()).filter(s -> s.cliName.equalsIgnoreCase(name.trim())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown scenario '" + name + "'; one of: "
                        + Arrays.stream(values()).map(BenchScenario::cliName).collect(Collectors.joining(", "))));
    }
}

package io.stocktracker.loadgen.plan;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Named, repeatable load shapes. {@code rate} is the total quotes per second the feed produces,
 * spread round-robin over the symbols (so each symbol updates {@code rate / symbols} times a second).
 */
public enum Preset {
    /** The seed's throughput target: 100 clients, 50 symbols updating once a second, >99% delivery, <500 ms. */
    SEED_THROUGHPUT("seed-throughput", 100, 50, 50, 50, Duration.ofSeconds(30), 0.0, Scenario.STEADY,
            "100 clients each watching all 50 symbols, each symbol updated once a second"),
    /** Wide fan-out: every symbol has 200 subscribers. */
    FANOUT_10K("fanout-10k", 10_000, 500, 10, 500, Duration.ofSeconds(30), 0.0, Scenario.STEADY,
            "10,000 clients each watching 10 of 500 symbols, 500 updates/s in total"),
    /** Every client drops at the same instant and reconnects at once; measures time to all re-subscribed. */
    RECONNECT_STORM("reconnect-storm", 1_000, 50, 5, 50, Duration.ofSeconds(20), 0.0, Scenario.RECONNECT_STORM,
            "1,000 clients dropped at once after warm-up, reconnecting immediately"),
    /** 10% of clients read one frame every 500 ms: fast clients must not suffer, slow ones get conflated. */
    SLOW_CONSUMERS("slow-consumers", 200, 50, 10, 250, Duration.ofSeconds(30), 0.1, Scenario.STEADY,
            "200 clients, 10% reading one frame per 500 ms, 5 updates/s per symbol");

    private final String cliName;
    private final int clients;
    private final int symbols;
    private final int symbolsPerClient;
    private final int rate;
    private final Duration duration;
    private final double slowFraction;
    private final Scenario scenario;
    private final String description;

    Preset(String cliName, int clients, int symbols, int symbolsPerClient, int rate, Duration duration,
           double slowFraction, Scenario scenario, String description) {
        this.cliName = cliName;
        this.clients = clients;
        this.symbols = symbols;
        this.symbolsPerClient = symbolsPerClient;
        this.rate = rate;
        this.duration = duration;
        this.slowFraction = slowFraction;
        this.scenario = scenario;
        this.description = description;
    }

    public String cliName() {
        return cliName;
    }

    public int clients() {
        return clients;
    }

    public int symbols() {
        return symbols;
    }

    public int symbolsPerClient() {
        return symbolsPerClient;
    }

    public int rate() {
        return rate;
    }

    public Duration duration() {
        return duration;
    }

    public double slowFraction() {
        return slowFraction;
    }

    public Scenario scenario() {
        return scenario;
    }

    public String description() {
        return description;
    }

    /** Accepts the CLI name ({@code fanout-10k}) or the constant name, case-insensitively. */
    public static Preset parse(String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Preset p : values()) {
            if (p.cliName.equals(wanted)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown preset '" + text + "'; one of: " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(Preset::cliName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return cliName;
    }
}

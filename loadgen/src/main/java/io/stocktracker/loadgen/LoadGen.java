package io.stocktracker.loadgen;

import io.stocktracker.loadgen.plan.LoadPlan;
import io.stocktracker.loadgen.plan.Preset;
import io.stocktracker.loadgen.report.LoadReport;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The load and latency tool. Without {@code --url} it needs a {@link Target.Factory} (the launcher
 * starts an in-process stack); standalone it requires {@code --url}. With {@code --bootstrap} (or a
 * target that has Kafka) it drives the feed itself: RawQuotes into quotes.raw at {@code --rate}.
 */
@Command(name = "loadgen", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Opens N WebSocket clients, subscribes each to K of S symbols, optionally produces quotes at R/s,",
                "and reports delivery rate, end-to-end latency (ingestedAt -> receipt) percentiles, throughput,",
                "connect errors and the edge's CPU/heap. Presets: seed-throughput, fanout-10k, reconnect-storm, slow-consumers.",
                "Conflation is by design: a slow client gets the latest quote per symbol, so its delivery rate drops below 1."})
public final class LoadGen implements Callable<Integer> {

    @Option(names = "--preset", defaultValue = "seed-throughput", converter = PresetConverter.class,
            description = "seed-throughput | fanout-10k | reconnect-storm | slow-consumers (default: ${DEFAULT-VALUE})")
    Preset preset;

    @Option(names = "--url", split = ",", description = "edge WebSocket URL(s), e.g. ws://localhost:8081/ws; several (comma"
            + " separated or repeated) spread the clients round-robin (default: start a stack, if available)")
    List<URI> urls;

    @Option(names = "--metrics-url", description = "edge metrics URL (default: http://<url host:port>/metrics)")
    URI metricsUrl;

    @Option(names = "--bootstrap", description = "Kafka bootstrap servers: drive the feed into quotes.raw (default: the started stack's)")
    String bootstrap;

    @Option(names = "--no-feed", description = "do not produce quotes; measure what the stack publishes")
    boolean noFeed;

    @Option(names = {"-c", "--clients"}, description = "number of WebSocket clients")
    Integer clients;

    @Option(names = {"-s", "--symbols"}, description = "number of generated symbols (LG000...)")
    Integer symbols;

    @Option(names = "--symbol-list", split = ",", description = "explicit symbols instead of generated ones")
    List<String> symbolList;

    @Option(names = "--symbol-prefix", description = "prefix of generated symbols (default: LG)")
    String symbolPrefix;

    @Option(names = {"-k", "--symbols-per-client"}, description = "symbols each client subscribes to")
    Integer symbolsPerClient;

    @Option(names = {"-r", "--rate"}, description = "total quotes per second produced, spread over the symbols")
    Integer rate;

    @Option(names = {"-d", "--duration"}, description = "measurement window, e.g. 30s, 2m")
    String duration;

    @Option(names = "--warmup", description = "time between subscribing and opening the window (default 5s)")
    String warmup;

    @Option(names = "--drain", description = "longest wait for in-flight quotes after the window closes")
    String drain;

    @Option(names = "--slow-fraction", description = "fraction of clients that read slowly (0..1)")
    Double slowFraction;

    @Option(names = "--slow-read-delay", description = "delay before a slow client reads its next frame (default 500ms)")
    String slowReadDelay;

    @Option(names = "--slow-receive-buffer", description = "socket receive buffer of slow clients in bytes (default 4096)")
    Integer slowReceiveBuffer;

    @Option(names = "--connect-rate", description = "new connections per second while connecting, 0 = unpaced (default 1000)")
    Integer connectRate;

    @Option(names = "--connect-timeout", description = "WebSocket handshake timeout (default 30s)")
    String connectTimeout;

    @Option(names = "--edges", defaultValue = "1", description = "edges in the started stack, clients spread over all (only without --url)")
    int edges;

    @Option(names = "--json", description = "print the report as one JSON object on the last line as well")
    boolean json;

    private Target.Factory targetFactory;
    private PrintStream out = System.out;
    private PrintStream err = System.err;

    /** Lets the launcher start a stack when no --url is given. */
    public LoadGen withTargetFactory(Target.Factory factory) {
        this.targetFactory = factory;
        return this;
    }

    public LoadGen withOutput(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
        return this;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadGen()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Target target;
        if (urls != null && !urls.isEmpty()) {
            target = new Target(urls.get(0), metricsUrl, bootstrap, null, null, urls.subList(1, urls.size()));
        } else if (targetFactory != null) {
            err.println("[loadgen] no --url: starting a stack in this process");
            target = targetFactory.start(edges);
        } else {
            err.println("--url is required (or run `bin/stocktracker loadgen`, which starts its own stack)");
            return 2;
        }
        try (target) {
            LoadPlan plan = LoadPlan.resolve(preset, overrides(target));
            LoadReport report = new LoadRun(plan, err, target.note()).run();
            out.print(report.toText());
            if (json) {
                out.println(report.toJsonLine());
            }
            out.flush();
            return report.subscribed() == 0 ? 1 : 0;
        }
    }

    LoadPlan.Overrides overrides(Target target) {
        String feedBootstrap = noFeed ? null : bootstrap != null ? bootstrap : target.bootstrapServers();
        return new LoadPlan.Overrides(target.wsUrl(), metricsUrl != null ? metricsUrl : target.metricsUrl(), feedBootstrap,
                clients, symbols, symbolList, symbolPrefix, symbolsPerClient, rate, duration(warmup), duration(duration),
                duration(drain), slowFraction, duration(slowReadDelay), connectRate, duration(connectTimeout),
                slowReceiveBuffer, target.moreWsUrls());
    }

    /** "500ms", "30s", "2m", "1h" or an ISO-8601 duration; null stays null. */
    public static Duration duration(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.startsWith("pt") || t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> Duration.ofSeconds(Long.parseLong(t));
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (use e.g. 500ms, 30s, 2m)");
        }
    }

    static final class PresetConverter implements CommandLine.ITypeConverter<Preset> {
        @Override
        public Preset convert(String value) {
            return Preset.parse(value);
        }
    }
}

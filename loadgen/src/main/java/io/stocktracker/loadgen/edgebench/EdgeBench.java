package io.stocktracker.loadgen.edgebench;

import io.stocktracker.loadgen.LoadGen;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.ws.SubscriptionOptions;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/stocktracker bench-edge}: the edge alone, publish -> client. Starts (or attaches to) an edge in its own
 * JVM beside its redis-server, publishes stamped quotes straight into Redis, and reads them with raw RFC 6455
 * clients on one selector thread in this process. Prints progress on stderr and ONE JSON line on stdout.
 */
@Command(name = "bench-edge", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures the ws-edge alone: publish into Redis -> client read(), with the edge in its own JVM.",
                "Scenarios are issue 12's rows; see --scenario."},
        footer = {"%nRates are quote deliveries per second over all clients (a quote inside a batch_update counts).",
                "Edge settings (MAX_PENDING_SYMBOLS, ...) pass through from the environment to the started edge."})
public final class EdgeBench implements Callable<Integer> {

    @Option(names = "--scenario", defaultValue = "floor", description = "floor | seed | fresh-100k | warm-100k | fanout-5k | max-rate | idle-10k (default: ${DEFAULT-VALUE})")
    String scenario;

    @Option(names = {"-c", "--clients"}, description = "clients (for idle-10k: idle connections)")
    Integer clients;

    @Option(names = {"-s", "--symbols"}, description = "symbols (EB000...)")
    Integer symbols;

    @Option(names = {"-k", "--symbols-per-client"}, description = "symbols each client subscribes to")
    Integer symbolsPerClient;

    @Option(names = {"-r", "--rate"}, description = "quote deliveries per second over all clients")
    Double rate;

    @Option(names = "--publish-rate", description = "publishes per second into Redis instead of --rate")
    Double publishRate;

    @Option(names = {"-d", "--duration"}, description = "measurement window (idle-10k: settle time), e.g. 20s")
    String duration;

    @Option(names = "--warmup", description = "time between subscribing and the window, e.g. 5s, 15s")
    String warmup;

    @Option(names = "--soak", description = "time at --soak-rate before the warm-up (warm-100k: 3m)")
    String soak;

    @Option(names = "--soak-rate", description = "deliveries per second while soaking")
    Double soakRate;

    @Option(names = "--ladder", split = ",", description = "max-rate: the delivery rates to step through, e.g. 100000,150000")
    List<Integer> ladder;

    @Option(names = "--connect-rate", description = "new connections per second, 0 = unpaced (default 2000)")
    Integer connectRate;

    @Option(names = "--connect-timeout", description = "handshake + subscribe timeout per client (default 60s)")
    String connectTimeout;

    @Option(names = "--max-drain", description = "longest wait for a window's quotes in flight (default 30s)")
    String maxDrain;

    @Option(names = "--options", description = "subscribe every client with these subscription options, e.g. "
            + "maxRate=2,fields=price,change (fields always get ingestedAt: the latency is measured from it)")
    String options;

    @Option(names = "--ws-url", description = "attach to this running edge instead of starting one (needs --redis-url)")
    URI wsUrl;

    @Option(names = "--redis-url", description = "the attached edge's Redis, e.g. redis://127.0.0.1:6379")
    String redisUrl;

    @Option(names = "--edge-pid", defaultValue = "0", description = "the attached edge's pid, for its CPU and RSS")
    long edgePid;

    @Option(names = "--edge-java-opts", description = "the started edge's JVM options (default: the Dockerfile's, \""
            + EdgeUnderTest.DOCKER_JAVA_OPTS + "\")")
    String edgeJavaOpts;

    @Option(names = "--edge-classpath", description = "where EdgeApp and its dependencies are (default: this JVM's class path)")
    String edgeClasspath;

    @Option(names = "--edge-log-dir", defaultValue = "target/bench-edge", description = "the started edge's log (default: ${DEFAULT-VALUE})")
    Path edgeLogDir;

    private PrintStream out = System.out;
    private PrintStream err = System.err;

    public EdgeBench withOutput(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
        return this;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new EdgeBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        BenchPlan plan = plan();
        if (wsUrl != null && redisUrl == null) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--ws-url needs --redis-url");
        }
        double[] loadStart = ProcStats.loadAverage();
        try (EdgeUnderTest edge = wsUrl != null ? EdgeUnderTest.attach(wsUrl, redisUrl, edgePid)
                : EdgeUnderTest.start(edgeJavaOpts != null ? edgeJavaOpts : EdgeUnderTest.DOCKER_JAVA_OPTS,
                        edgeClasspath != null ? edgeClasspath : System.getProperty("java.class.path"), Map.of(), edgeLogDir,
                        Duration.ofSeconds(120), err)) {
            SubscriptionOptions subscribeWith = options == null ? null : OptionsArg.parse(options);
            BenchResult result = new EdgeBenchRun(plan, edge, err, subscribeWith).run(loadStart);
            out.println(subscribeWith == null ? result.toJsonLine() : withOptions(result.toJsonLine(), subscribeWith));
            out.flush();
            return result.subscribed() == 0 ? 1 : 0;
        }
    }

    /** The run's JSON line with the options it subscribed with, so a line with options cannot pass for one without. */
    static String withOptions(String jsonLine, SubscriptionOptions options) {
        Map<String, Object> m = JsonCodec.fromJson(jsonLine, LinkedHashMap.class);
        m.put("subscriptionOptions", options);
        return JsonCodec.toJson(m);
    }

    BenchPlan plan() {
        return BenchPlan.resolve(BenchScenario.parse(scenario), new BenchPlan.Overrides(clients, symbols, symbolsPerClient, rate,
                publishRate, LoadGen.duration(warmup), LoadGen.duration(duration), LoadGen.duration(soak), soakRate, ladder,
                connectRate, LoadGen.duration(connectTimeout), LoadGen.duration(maxDrain)));
    }
}

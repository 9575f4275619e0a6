package io.stocktracker.launcher;

import io.stocktracker.kit.logging.Redact;
import io.stocktracker.launcher.stack.Stack;
import io.stocktracker.launcher.stack.StackFile;
import io.stocktracker.launcher.stack.StackOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stocktracker up}: the whole product in this process until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Starts Kafka (embedded unless KAFKA_BOOTSTRAP_SERVERS), Redis (unless REDIS_URL), the streams",
                "processor, the ingest connector and N edges in this process, then prints the UI and WebSocket URLs.",
                "Ctrl-C stops everything in reverse order. Every service environment variable applies as in a container."})
final class UpCommand implements Callable<Integer> {

    @Option(names = "--edges", description = "number of edges, on consecutive ports (env STOCKTRACKER_EDGES, default 1)")
    Integer edges;

    @Option(names = "--port", description = "first edge's port (env EDGE_PORT, default 8081; 0 = free ports)")
    Integer port;

    @Option(names = "--source", split = ",", description = "quote sources in fallback order: simulated|replay|alphavantage|twelvedata"
            + " (env INGEST_SOURCES, default simulated)")
    List<String> sources;

    @Option(names = "--symbols", split = ",", description = "symbols always fetched (env INGEST_SYMBOLS; default: the simulated set)")
    List<String> symbols;

    @Option(names = "--symbol-count", description = "how many built-in symbols the simulated source streams (env SIMULATED_SYMBOL_COUNT, default 50)")
    Integer symbolCount;

    @Option(names = "--replay-file", description = "recorded quotes for --source replay (env REPLAY_FILE)")
    Path replayFile;

    @Option(names = "--data-dir", description = "where the embedded broker and streams state persist (env STOCKTRACKER_DATA_DIR, default ./data)")
    Path dataDir;

    @Option(names = "--ephemeral", description = "keep nothing: temporary directories deleted on exit")
    boolean ephemeral;

    @Option(names = "--no-ingest", description = "start no ingest connector (e.g. when the loadgen drives the feed)")
    boolean noIngest;

    @Option(names = "--host", description = "host name printed in the URLs (env STOCKTRACKER_HOST, default localhost)")
    String host;

    private final Map<String, String> env;
    private final PrintStream out;

    UpCommand(Map<String, String> env, PrintStream out) {
        this.env = env;
        this.out = out;
    }

    /** The flags override their environment keys, and one read reports every bad value, flag or variable, at once. */
    StackOptions options() {
        Map<String, String> e = new LinkedHashMap<>(env);
        put(e, "STOCKTRACKER_HOST", host);
        put(e, "REPLAY_FILE", replayFile == null ? null : replayFile.toAbsolutePath());
        put(e, "STOCKTRACKER_EDGES", edges);
        put(e, "EDGE_PORT", port);
        put(e, "INGEST_SOURCES", sources == null ? null : String.join(",", sources));
        put(e, "INGEST_SYMBOLS", symbols == null ? null : String.join(",", symbols));
        put(e, "SIMULATED_SYMBOL_COUNT", symbolCount);
        put(e, "STOCKTRACKER_DATA_DIR", dataDir);
        return StackOptions.read(e, !ephemeral, !noIngest);
    }

    private static void put(Map<String, String> env, String key, Object value) {
        if (value != null) {
            env.put(key, value.toString());
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        StackOptions options = options();
        Stack stack = Stack.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("stopping...");
            if (options.dataDir() != null) {
                StackFile.delete(options.dataDir());
            }
            stack.close();
            stopped.countDown();
        }, "stocktracker-shutdown"));
        if (options.dataDir() != null) {
            StackFile.write(options.dataDir(), stack);
        }
        printUrls(stack, out);
        stopped.await();
        return 0;
    }

    static void printUrls(Stack stack, PrintStream out) {
        out.println("UI: " + stack.uiUrl());
        out.println("WebSocket: " + stack.wsUrl());
        for (int i = 1; i < stack.edges().size(); i++) {
            out.println("Edge " + (i + 1) + ": " + stack.uiUrl(i) + " (WebSocket " + stack.wsUrl(i) + ")");
        }
        out.println("Kafka: " + stack.bootstrapServers() + (stack.embeddedKafka() ? " (embedded)" : ""));
        out.println("Redis: " + Redact.url(stack.redisUrl()) + (stack.embeddedRedis() ? " (embedded)" : ""));
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }
}

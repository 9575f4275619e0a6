package io.stocktracker.launcher.stack;

import io.stocktracker.ingest.IngestConfig;
import io.stocktracker.kit.config.EnvKeys;
import io.stocktracker.kit.config.EnvReader;
import io.stocktracker.kit.logging.Redact;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link Stack} starts. Read from the environment by {@link #fromEnv(Map)} with the declared keys of
 * {@link #KEYS} (the launcher's own keys, plus the services' keys it chooses a value for); every other
 * environment variable is handed to the services unchanged, so a service key (for example
 * {@code MAX_CONNECTIONS_PER_IP} or {@code PROCESSING_GUARANTEE}) works with the launcher as it does in a container.
 *
 * @param kafkaBootstrapServers an external broker, or null to start the embedded one
 * @param redisUrl an external Redis, or null to start redis-server
 * @param dataDir where the embedded broker's log and the streams state live (kept across runs), or null
 *                for temporary directories deleted on close
 * @param edgePort the first edge's port; the others take the following ports (0: every edge a free port)
 * @param ingest false to start no ingest connector (the loadgen is then the only feed)
 * @param serviceEnv environment handed to every service's {@code fromEnv}, under the stack's own choices
 */
public record StackOptions(
        String kafkaBootstrapServers,
        String redisUrl,
        Path dataDir,
        int edges,
        int edgePort,
        String host,
        boolean ingest,
        List<String> sources,
        List<String> symbols,
        int simulatedSymbolCount,
        Map<String, String> serviceEnv) {

    public static final int MAX_EDGES = 64;

    /** Launcher keys and the service keys the launcher sets, with their defaults ("" = unset). */
    public static final EnvKeys KEYS = EnvKeys.of("stack")
            .key("KAFKA_BOOTSTRAP_SERVERS", "", "set: use that broker, start none")
            .key("REDIS_URL", "", "set: use that Redis, start none")
            .key("STOCKTRACKER_DATA_DIR", "data", "embedded broker and streams state, relative to the working directory")
            .key("STOCKTRACKER_EDGES", "1", "edges, on consecutive ports")
            .key("EDGE_PORT", "8081", "the first edge's port; 0 = free ports")
            .key("STOCKTRACKER_HOST", "localhost", "host name printed in the URLs")
            .key("INGEST_SOURCES", "simulated", "quote sources in fallback order")
            .key("INGEST_SYMBOLS", "", "symbols always fetched")
            .key("SIMULATED_SYMBOL_COUNT", "50", "built-in symbols the simulated source streams");

    /** What {@code stocktracker up} starts: persistent data, the ingest connector. */
    public static StackOptions fromEnv(Map<String, String> env) {
        return read(env, true, true);
    }

    /** Temporary directories, free ports, simulated source, plus {@code env}: what tests use. */
    public static StackOptions forTests(Map<String, String> env) {
        Map<String, String> e = new LinkedHashMap<>(Map.of("EDGE_PORT", "0",
                // the edge's warm-up costs 4-8 s of each start on 2 shared cores; EdgeWarmupTest covers it
                "WARMUP_QUOTES", "0"));
        e.putAll(env);
        return read(e, false, true);
    }

    /**
     * Every problem of {@code env} at once. {@code persistent} false keeps nothing (temporary directories deleted on
     * close); {@code ingest} false starts no ingest connector.
     */
    public static StackOptions read(Map<String, String> env, boolean persistent, boolean ingest) {
        EnvReader r = KEYS.read(env);
        int edges = r.integer("STOCKTRACKER_EDGES", 1, MAX_EDGES);
        int edgePort = r.integer("EDGE_PORT", 0, 65535);
        r.check(edgePort == 0 || edgePort + edges - 1 <= 65535, "EDGE_PORT + STOCKTRACKER_EDGES - 1 must be at most 65535");
        List<String> sources = r.list("INGEST_SOURCES").stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        for (String s : sources) {
            r.check(IngestConfig.KNOWN_SOURCES.contains(s), "INGEST_SOURCES: unknown source '" + s + "' (one of "
                    + IngestConfig.KNOWN_SOURCES + ")");
        }
        r.check(!ingest || !sources.isEmpty(), "INGEST_SOURCES must name at least one of " + IngestConfig.KNOWN_SOURCES);
        StackOptions options = new StackOptions(
                r.optional("KAFKA_BOOTSTRAP_SERVERS"),
                r.optional("REDIS_URL"),
                persistent ? Path.of(r.string("STOCKTRACKER_DATA_DIR")) : null,
                edges,
                edgePort,
                r.string("STOCKTRACKER_HOST"),
                ingest,
                sources,
                r.list("INGEST_SYMBOLS").stream().map(s -> s.toUpperCase(Locale.ROOT)).toList(),
                r.integer("SIMULATED_SYMBOL_COUNT", 1, 100_000),
                Map.copyOf(env));
        r.done();
        return options;
    }

    /** The service environment's values may be secrets (JWT_SECRET, API keys): only its keys are printed. */
    @Override
    public String toString() {
        return "StackOptions[kafka=" + kafkaBootstrapServers + ", redis=" + Redact.url(redisUrl) + ", dataDir=" + dataDir
                + ", edges=" + edges + ", edgePort=" + edgePort + ", host=" + host + ", ingest=" + ingest + ", sources=" + sources
                + ", symbols=" + symbols.size() + ", simulatedSymbolCount=" + simulatedSymbolCount + ", serviceEnv keys="
                + new java.util.TreeSet<>(serviceEnv.keySet()) + "]";
    }

    /** Port of edge {@code index} (0-based). */
    public int edgePort(int index) {
        return edgePort == 0 ? 0 : edgePort + index;
    }
}

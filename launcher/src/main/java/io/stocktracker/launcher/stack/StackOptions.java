package io.stocktracker.launcher.stack;

import io.stocktracker.kit.logging.Redact;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What {@link Stack} starts. Read from the environment by {@link #fromEnv(Map)} with the defaults of
 * {@link #DEFAULTS} (the launcher's own keys, plus the services' keys it chooses a value for); every
 * other environment variable is handed to the services unchanged, so a service key (for example
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

    public static final Set<String> SOURCES = Set.of("simulated", "replay", "alphavantage", "twelvedata");

    /** Launcher keys and the service keys the launcher sets, with their defaults ("" = unset). */
    public static final Map<String, String> DEFAULTS = defaultsTable();

    private static Map<String, String> defaultsTable() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("KAFKA_BOOTSTRAP_SERVERS", "");   // set: use that broker, start none
        d.put("REDIS_URL", "");                 // set: use that Redis, start none
        d.put("STOCKTRACKER_DATA_DIR", "data"); // relative to the working directory
        d.put("STOCKTRACKER_EDGES", "1");
        d.put("EDGE_PORT", "8081");
        d.put("STOCKTRACKER_HOST", "localhost");
        d.put("INGEST_SOURCES", "simulated");
        d.put("INGEST_SYMBOLS", "");
        d.put("SIMULATED_SYMBOL_COUNT", "50");
        return Collections.unmodifiableMap(d);
    }

    public StackOptions {
        List<String> problems = new ArrayList<>();
        if (edges < 1 || edges > 64) {
            problems.add("edges must be 1..64, was " + edges);
        }
        if (edgePort < 0 || edgePort + Math.max(edges - 1, 0) > 65535) {
            problems.add("edge port must be 0..65535 (0 = free ports), was " + edgePort);
        }
        sources = sources == null ? List.of() : sources.stream().map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty()).toList();
        if (ingest && sources.isEmpty()) {
            problems.add("at least one source is needed (one of " + SOURCES + ")");
        }
        for (String s : sources) {
            if (!SOURCES.contains(s)) {
                problems.add("unknown source '" + s + "' (one of " + SOURCES + ")");
            }
        }
        symbols = symbols == null ? List.of() : List.copyOf(symbols);
        if (simulatedSymbolCount < 1) {
            problems.add("simulated symbol count must be >= 1, was " + simulatedSymbolCount);
        }
        if (host == null || host.isBlank()) {
            host = "localhost";
        }
        serviceEnv = serviceEnv == null ? Map.of() : Map.copyOf(serviceEnv);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid stack options: " + String.join("; ", problems));
        }
    }

    /** Everything in temporary directories, free ports, simulated source: what tests use. */
    public static StackOptions forTests() {
        return new StackOptions(null, null, null, 1, 0, "localhost", true, List.of("simulated"), List.of(), 50, Map.of());
    }

    public static StackOptions fromEnv(Map<String, String> env) {
        Map<String, String> v = new LinkedHashMap<>(DEFAULTS);
        env.forEach((k, val) -> {
            if (DEFAULTS.containsKey(k) && val != null && !val.isBlank()) {
                v.put(k, val.trim());
            }
        });
        return new StackOptions(
                blankToNull(v.get("KAFKA_BOOTSTRAP_SERVERS")),
                blankToNull(v.get("REDIS_URL")),
                Path.of(v.get("STOCKTRACKER_DATA_DIR")),
                integer(v, "STOCKTRACKER_EDGES"),
                integer(v, "EDGE_PORT"),
                v.get("STOCKTRACKER_HOST"),
                true,
                split(v.get("INGEST_SOURCES")),
                split(v.get("INGEST_SYMBOLS")).stream().map(s -> s.toUpperCase(Locale.ROOT)).toList(),
                integer(v, "SIMULATED_SYMBOL_COUNT"),
                env);
    }

    public StackOptions withEdges(int n) {
        return new StackOptions(kafkaBootstrapServers, redisUrl, dataDir, n, edgePort, host, ingest, sources, symbols,
                simulatedSymbolCount, serviceEnv);
    }

    public StackOptions withEdgePort(int port) {
        return new StackOptions(kafkaBootstrapServers, redisUrl, dataDir, edges, port, host, ingest, sources, symbols,
                simulatedSymbolCount, serviceEnv);
    }

    public StackOptions withDataDir(Path dir) {
        return new StackOptions(kafkaBootstrapServers, redisUrl, dir, edges, edgePort, host, ingest, sources, symbols,
                simulatedSymbolCount, serviceEnv);
    }

    public StackOptions withIngest(boolean on) {
        return new StackOptions(kafkaBootstrapServers, redisUrl, dataDir, edges, edgePort, host, on, sources, symbols,
                simulatedSymbolCount, serviceEnv);
    }

    public StackOptions withSources(List<String> list) {
        return new StackOptions(kafkaBootstrapServers, redisUrl, dataDir, edges, edgePort, host, ingest, list, symbols,
                simulatedSymbolCount, serviceEnv);
    }

    public StackOptions withSymbols(List<String> list) {
        return new StackOptions(kafkaBootstrapServers, redisUrl, dataDir, edges, edgePort, host, ingest, sources, list,
                simulatedSymbolCount, serviceEnv);
    }

    public StackOptions withSimulatedSymbolCount(int n) {
        return new StackOptions(kafkaBootstrapServers, redisUrl, dataDir, edges, edgePort, host, ingest, sources, symbols,
                n, serviceEnv);
    }

    public StackOptions withInfrastructure(String kafka, String redis) {
        return new StackOptions(kafka, redis, dataDir, edges, edgePort, host, ingest, sources, symbols,
                simulatedSymbolCount, serviceEnv);
    }

    /** Adds (or replaces) environment entries handed to the services. */
    public StackOptions withServiceEnv(Map<String, String> extra) {
        Map<String, String> merged = new LinkedHashMap<>(serviceEnv);
        merged.putAll(extra);
        return new StackOptions(kafkaBootstrapServers, redisUrl, dataDir, edges, edgePort, host, ingest, sources, symbols,
                simulatedSymbolCount, merged);
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

    private static List<String> split(String s) {
        return s == null || s.isBlank() ? List.of() : Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    private static int integer(Map<String, String> v, String key) {
        try {
            return Integer.parseInt(v.get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, was '" + v.get(key) + "'");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}

package io.stocktracker.launcher.chaos;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.stocktracker.infra.EmbeddedKafka;
import io.stocktracker.infra.EmbeddedRedis;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Channels;
import io.stocktracker.schemas.redis.ControlMessage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The stack a fault can really hit: Kafka (embedded, restartable on its port) and redis-server in this JVM, and the
 * streams processor, the ingest connector and N edges each in a JVM of its own ({@link ServiceProcess}), on free
 * ports. An edge restarts on the port it had, as a replaced pod keeps its address behind the load balancer.
 */
final class FaultStack implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("edge \\S+ listening on port (\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(360);

    private final Path logDir;
    private final PrintStream out;
    private final Map<String, String> extraEnv;
    private final EmbeddedKafka kafka;
    private final EmbeddedRedis redis;
    private final Path stateDir;
    private final ServiceProcess streams;
    private final ServiceProcess ingest;
    private final List<ServiceProcess> edges = new ArrayList<>();
    private final List<Integer> edgePorts = new ArrayList<>();
    private RedisClient redisClient;
    private StatefulRedisConnection<String, String> redisConnection;

    private FaultStack(Path logDir, PrintStream out, Map<String, String> extraEnv) throws IOException {
        this.logDir = Files.createDirectories(logDir);
        this.out = out;
        this.extraEnv = Map.copyOf(extraEnv);
        this.kafka = EmbeddedKafka.start();
        this.redis = EmbeddedRedis.start();
        this.stateDir = Files.createTempDirectory("chaos-streams-");
        this.streams = new ServiceProcess("streams-processor", "io.stocktracker.streams.StreamsApp",
                List.of("-Xmx384m", "-XX:+UseSerialGC"), logDir.resolve("streams-processor.log"));
        this.ingest = new ServiceProcess("ingest-connector", "io.stocktracker.ingest.IngestApp",
                List.of("-Xmx256m", "-XX:+UseSerialGC"), logDir.resolve("ingest-connector.log"));
    }

    /**
     * @param ingestEnv the ingest connector's settings (sources, symbols, interval) over the stack's
     * @param extraEnv handed to every service, over everything else
     */
    static FaultStack start(int edgeCount, Map<String, String> ingestEnv, Map<String, String> extraEnv, Path logDir,
                            PrintStream out) throws IOException, InterruptedException {
        return start(edgeCount, "-Xmx512m", ingestEnv, extraEnv, logDir, out);
    }

    /** @param edgeHeap the edges' -Xmx option */
    static FaultStack start(int edgeCount, String edgeHeap, Map<String, String> ingestEnv, Map<String, String> extraEnv,
                            Path logDir, PrintStream out) throws IOException, InterruptedException {
        FaultStack s = new FaultStack(logDir, out, extraEnv);
        try {
            s.streams.start(s.streamsEnv());
            for (int i = 0; i < edgeCount; i++) {
                ServiceProcess edge = new ServiceProcess("edge-" + (i + 1), "io.stocktracker.edge.EdgeApp",
                        Stream.concat(Stream.of(edgeHeap, "-XX:+ExitOnOutOfMemoryError"),
                                ProcessProbe.MEASURABLE_GC.stream()).toList(),
                        logDir.resolve("edge-" + (i + 1) + ".log"));
                s.edges.add(edge);
                s.edgePorts.add(0);
                s.startEdge(i);
            }
            Map<String, String> env = s.base();
            env.putAll(ingestEnv);
            env.putAll(s.extraEnv);
            s.ingest.start(env);
            for (int i = 0; i < edgeCount; i++) {
                s.awaitEdgeReady(i, START_TIMEOUT);
            }
            s.redisClient = RedisClient.create(s.redis.url());
            return s;
        } catch (InterruptedException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private Map<String, String> base() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("REDIS_URL", redis.url());
        return env;
    }

    private Map<String, String> streamsEnv() {
        Map<String, String> env = base();
        env.put("STATE_DIR", stateDir.toString());
        env.put("STREAMS_HTTP_PORT", "0");
        // as docker-compose.yml runs it: static membership, so a restarted processor takes its partitions back at
        // once instead of waiting out the dead member's session (45 s)
        env.put("GROUP_INSTANCE_ID", "streams-1");
        env.putAll(extraEnv);
        return env;
    }

    private void startEdge(int i) throws InterruptedException {
        ServiceProcess edge = edges.get(i);
        Map<String, String> env = base();
        env.put("EDGE_ID", edge.name());
        env.put("EDGE_PORT", String.valueOf(edgePorts.get(i)));
        // every client comes from 127.0.0.1
        env.put("MAX_CONNECTIONS_PER_IP", "1000000");
        env.put("MAX_CONNECTIONS", "1000000");
        env.put("ADMISSION_RATE_PER_SECOND", "1000000");
        env.put("ADMISSION_BURST", "1000000");
        // clients subscribe to the ingest connector's symbols; no need to wait for symbols.universe
        env.put("SYMBOL_UNIVERSE_CHECK", "false");
        env.putAll(extraEnv);
        long from = edge.logLength();
        edge.start(env);
        int port = Integer.parseInt(edge.awaitLog(LISTENING, from, START_TIMEOUT));
        edgePorts.set(i, port);
        out.println("[chaos] " + edge.name() + " pid " + edge.pid() + " on port " + port);
    }

    void awaitEdgeReady(int i, Duration timeout) throws InterruptedException {
        URI ready = URI.create("http://127.0.0.1:" + edgePorts.get(i) + "/ready");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("edge-" + (i + 1) + " not ready within " + timeout + "; see " + edges.get(i).log());
    }

    List<URI> edgeUrls() {
        return edgePorts.stream().map(p -> URI.create("ws://127.0.0.1:" + p + "/ws")).toList();
    }

    long edgePid(int i) {
        return edges.get(i).pid();
    }

    int edgeCount() {
        return edges.size();
    }

    String edgeId(int i) {
        return edges.get(i).name();
    }

    void killEdge(int i) throws InterruptedException {
        edges.get(i).kill();
    }

    /** SIGTERM: the edge closes its clients with 1001 and leaves the Kafka group. */
    void stopEdge(int i) throws InterruptedException {
        edges.get(i).stop(Duration.ofSeconds(20));
    }

    void restartEdge(int i) throws InterruptedException {
        startEdge(i);
        awaitEdgeReady(i, START_TIMEOUT);
    }

    void stopRedis() {
        redis.stop();
    }

    void startRedis() {
        redis.restart();
    }

    void stopKafka() {
        kafka.stop();
    }

    void startKafka() {
        kafka.restart();
    }

    void killStreams() throws InterruptedException {
        streams.kill();
    }

    void restartStreams() {
        streams.start(streamsEnv());
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Publishes a control command on {@code market-data:control}; {@code target} an edge id or null for all. */
    void control(ControlMessage.Command command, String target) {
        redis().sync().publish(Channels.CONTROL, JsonCodec.toJson(ControlMessage.of(command, target)));
    }

    /** Each symbol's seq as the relaying edge last cached it in Redis ({@code quote:SYMBOL}); absent symbols left out. */
    Map<String, Long> currentSeqs(List<String> symbols) {
        Map<String, Long> out = new HashMap<>();
        String[] keys = symbols.stream().map(Channels::quoteKey).toArray(String[]::new);
        for (KeyValue<String, String> kv : redis().sync().mget(keys)) {
            if (kv.hasValue()) {
                var seq = JsonCodec.tree(kv.getValue()).get("seq");
                if (seq != null && seq.canConvertToLong()) {
                    out.put(kv.getKey().substring(Channels.QUOTE_KEY_PREFIX.length()), seq.asLong());
                }
            }
        }
        return out;
    }

    /** Redis used_memory in bytes, or -1 when it does not answer. */
    long redisUsedMemory() {
        try {
            for (String line : redis().sync().info("memory").split("\r?\n")) {
                if (line.startsWith("used_memory:")) {
                    return Long.parseLong(line.substring("used_memory:".length()).trim());
                }
            }
        } catch (RuntimeException e) {
            // down or restarting: the sample says so
        }
        return -1;
    }

    private synchronized StatefulRedisConnection<String, String> redis() {
        if (redisConnection == null || !redisConnection.isOpen()) {
            redisConnection = redisClient.connect();
            redisConnection.setTimeout(Duration.ofSeconds(2));
        }
        return redisConnection;
    }

    Path logDir() {
        return logDir;
    }

    @Override
    public void close() {
        try {
            ingest.stop(Duration.ofSeconds(10));
            for (ServiceProcess e : edges) {
                e.stop(Duration.ofSeconds(10));
            }
            streams.stop(Duration.ofSeconds(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (redisConnection != null) {
            redisConnection.close();
        }
        if (redisClient != null) {
            redisClient.shutdown();
        }
        kafka.close();
        redis.close();
        deleteQuietly(stateDir);
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory
        }
    }
}

package io.stocktracker.launcher.stack;

import io.stocktracker.edge.EdgeApp;
import io.stocktracker.edge.EdgeConfig;
import io.stocktracker.infra.EmbeddedKafka;
import io.stocktracker.infra.EmbeddedRedis;
import io.stocktracker.ingest.IngestApp;
import io.stocktracker.ingest.IngestConfig;
import io.stocktracker.kit.logging.Redact;
import io.stocktracker.streams.StreamsApp;
import io.stocktracker.streams.StreamsConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole product in one JVM: Kafka (embedded unless {@code KAFKA_BOOTSTRAP_SERVERS}), Redis (a real
 * redis-server unless {@code REDIS_URL}), the streams processor, the ingest connector and N edges, each
 * started through its own {@code App.start(config)} exactly as its container does. {@link #start} returns
 * once the streams processor is RUNNING and every edge reports ready; {@link #close} stops everything in
 * reverse order. Used by {@code stocktracker up}, the loadgen's own stack, and the end-to-end tests.
 */
public final class Stack implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Stack.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final StackOptions options;
    private final Deque<Named> started = new ArrayDeque<>();
    private final List<EdgeApp> edges = new ArrayList<>();
    private final List<Path> tempDirs = new ArrayList<>();
    private String bootstrapServers;
    private String redisUrl;
    private StreamsApp streams;
    private IngestApp ingest;
    private boolean embeddedKafka;
    private boolean embeddedRedis;

    private record Named(String name, AutoCloseable resource) {
    }

    private Stack(StackOptions options) {
        this.options = options;
    }

    public static Stack start(StackOptions options) {
        Stack stack = new Stack(options);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException | Error e) {
            stack.close();
            throw e;
        }
    }

    private void startAll() {
        long t0 = System.nanoTime();
        if (options.kafkaBootstrapServers() != null) {
            bootstrapServers = options.kafkaBootstrapServers();
            log.info("using Kafka at {}", bootstrapServers);
        } else {
            EmbeddedKafka kafka = options.dataDir() != null
                    ? EmbeddedKafka.startPersistent(options.dataDir().resolve("kafka"))
                    : EmbeddedKafka.start();
            started.push(new Named("kafka", kafka));
            bootstrapServers = kafka.bootstrapServers();
            embeddedKafka = true;
        }
        if (options.redisUrl() != null) {
            redisUrl = options.redisUrl();
            log.info("using Redis at {}", Redact.url(redisUrl));
        } else {
            EmbeddedRedis redis = EmbeddedRedis.start();
            started.push(new Named("redis", redis));
            redisUrl = redis.url();
            embeddedRedis = true;
        }

        Map<String, String> base = new LinkedHashMap<>(options.serviceEnv());
        base.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        base.put("REDIS_URL", redisUrl);

        Map<String, String> streamsEnv = new LinkedHashMap<>(base);
        streamsEnv.put("STATE_DIR", dir("streams").toString());
        streamsEnv.putIfAbsent("STREAMS_HTTP_PORT", "0");
        streams = StreamsApp.start(StreamsConfig.fromEnv(streamsEnv));
        started.push(new Named("streams-processor", streams));

        for (int i = 0; i < options.edges(); i++) {
            Map<String, String> edgeEnv = new LinkedHashMap<>(base);
            edgeEnv.put("EDGE_PORT", String.valueOf(options.edgePort(i)));
            if (options.edges() > 1 || !base.containsKey("EDGE_ID")) {
                edgeEnv.put("EDGE_ID", "edge-" + (i + 1));
            }
            if (!options.ingest()) {
                // nobody writes symbols.universe without ingest (the loadgen feeds quotes.latest itself): nothing is listed
                edgeEnv.putIfAbsent("SYMBOL_UNIVERSE_CHECK", "false");
            }
            EdgeApp edge = EdgeApp.start(EdgeConfig.fromEnv(edgeEnv));
            started.push(new Named("edge-" + (i + 1), edge));
            edges.add(edge);
        }

        if (options.ingest()) {
            Map<String, String> ingestEnv = new LinkedHashMap<>(base);
            ingestEnv.put("INGEST_SOURCES", String.join(",", options.sources()));
            ingestEnv.put("INGEST_SYMBOLS", String.join(",", options.symbols()));
            ingestEnv.put("SIMULATED_SYMBOL_COUNT", String.valueOf(options.simulatedSymbolCount()));
            ingestEnv.putIfAbsent("INGEST_HTTP_PORT", "0");
            ingest = IngestApp.start(IngestConfig.fromEnv(ingestEnv));
            started.push(new Named("ingest-connector", ingest));
        }

        awaitReady();
        log.info("stack ready in {} ms: kafka {}, redis {}, {} edge(s) on {}", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0),
                bootstrapServers, Redact.url(redisUrl), edges.size(), edgePorts());
    }

    /** With ingest, every edge has seen its first symbol universe, so a client's first subscribe is not refused. */
    private boolean universeArrived() {
        return ingest == null || ingest.universe().size() > 0
                && edges.stream().allMatch(e -> !e.config().symbols().universeCheck()
                        || e.universe().size() >= ingest.universe().size());
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            boolean streamsRunning = streams.state() == KafkaStreams.State.RUNNING;
            if (streamsRunning && edges.stream().allMatch(EdgeApp::ready) && universeArrived()) {
                return;
            }
            if (streams.state() == KafkaStreams.State.ERROR || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("streams-processor failed to start: state " + streams.state());
            }
            try {
                TimeUnit.MILLISECONDS.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the stack", e);
            }
        }
        List<String> waiting = new ArrayList<>();
        if (streams.state() != KafkaStreams.State.RUNNING) {
            waiting.add("streams-processor (" + streams.state() + ")");
        }
        for (int i = 0; i < edges.size(); i++) {
            if (!edges.get(i).ready()) {
                waiting.add("edge-" + (i + 1) + " " + edges.get(i).readiness());
            }
        }
        throw new IllegalStateException("stack not ready after " + READY_TIMEOUT.toSeconds() + " s, waiting for: " + waiting);
    }

    /** A directory under the data dir (kept), or a temporary one deleted on close. */
    private Path dir(String name) {
        try {
            if (options.dataDir() != null) {
                return Files.createDirectories(options.dataDir().resolve(name)).toAbsolutePath();
            }
            Path tmp = Files.createTempDirectory("stocktracker-" + name + "-");
            tempDirs.add(tmp);
            return tmp;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI uiUrl() {
        return uiUrl(0);
    }

    public URI wsUrl() {
        return wsUrl(0);
    }

    public URI uiUrl(int edge) {
        return URI.create("http://" + options.host() + ":" + edges.get(edge).port() + "/");
    }

    public URI wsUrl(int edge) {
        return URI.create("ws://" + options.host() + ":" + edges.get(edge).port() + "/ws");
    }

    public URI metricsUrl(int edge) {
        return URI.create("http://" + options.host() + ":" + edges.get(edge).port() + "/metrics");
    }

    public List<Integer> edgePorts() {
        return edges.stream().map(EdgeApp::port).toList();
    }

    public List<EdgeApp> edges() {
        return List.copyOf(edges);
    }

    public StreamsApp streams() {
        return streams;
    }

    /** Null when started without ingest. */
    public IngestApp ingest() {
        return ingest;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String redisUrl() {
        return redisUrl;
    }

    public boolean embeddedKafka() {
        return embeddedKafka;
    }

    public boolean embeddedRedis() {
        return embeddedRedis;
    }

    public StackOptions options() {
        return options;
    }

    /** Stops every component in reverse start order; idempotent, and one failure does not stop the rest. */
    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            Named n = started.pop();
            long t0 = System.nanoTime();
            try {
                n.resource().close();
                log.info("stopped {} in {} ms", n.name(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            } catch (Exception e) {
                log.warn("stopping {} failed: {}", n.name(), e.toString());
            }
        }
        for (Path dir : tempDirs) {
            deleteRecursively(dir);
        }
        tempDirs.clear();
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.debug("could not delete {}: {}", dir, e.toString());
        }
    }
}

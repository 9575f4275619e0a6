package io.stocktracker.loadgen.edgebench;

import io.stocktracker.infra.EmbeddedKafka;
import io.stocktracker.infra.EmbeddedRedis;
import io.stocktracker.infra.TopicAdmin;
import io.stocktracker.loadgen.metrics.EdgeMetricsSampler;
import io.stocktracker.loadgen.metrics.PrometheusText;
import io.stocktracker.schemas.contract.Topics;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The edge being measured, in a JVM of its own. Started: a redis-server and a KRaft broker (the edge does not
 * become ready without Kafka; the broker stays idle, quotes.latest empty) in this process, then
 * {@code java $JAVA_OPTS -cp <classpath> io.stocktracker.edge.EdgeApp} as deploy/docker/ws-edge.Dockerfile runs it,
 * configured through its environment. Attached: an edge and Redis someone else runs, given by URL (and the pid,
 * when CPU and memory should be read).
 */
public final class EdgeUnderTest implements AutoCloseable {
    static final String EDGE_MAIN = "io.stocktracker.edge.EdgeApp";
    /** The Dockerfile's JAVA_OPTS. */
    public static final String DOCKER_JAVA_OPTS = "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError";
    private static final Pattern LISTENING = Pattern.compile("edge (\\S+) listening on port (\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final URI wsUrl;
    private final URI readyUrl;
    private final String redisUrl;
    private final long pid;
    private final String description;
    private final Process process;
    private final Path log;
    private final EmbeddedRedis redis;
    private final EmbeddedKafka kafka;

    private EdgeUnderTest(URI wsUrl, URI readyUrl, String redisUrl, long pid, String description, Process process, Path log,
                          EmbeddedRedis redis, EmbeddedKafka kafka) {
        this.wsUrl = wsUrl;
        this.readyUrl = readyUrl;
        this.redisUrl = redisUrl;
        this.pid = pid;
        this.description = description;
        this.process = process;
        this.log = log;
        this.redis = redis;
        this.kafka = kafka;
    }

    public static EdgeUnderTest attach(URI wsUrl, String redisUrl, long pid) {
        URI ready = URI.create("http://" + wsUrl.getRawAuthority() + "/ready");
        return new EdgeUnderTest(wsUrl, ready, redisUrl, pid, "attached edge " + wsUrl + (pid > 0 ? " (pid " + pid + ")" : ""),
                null, null, null, null);
    }

    /**
     * Starts redis-server, Kafka and the edge process; returns once the edge's /ready answers 200.
     * @param javaOpts the edge JVM's options (the Dockerfile's by default)
     * @param classpath where EdgeApp and its dependencies are (this JVM's class path by default)
     * @param env extra edge settings; the inherited environment passes through too
     */
    public static EdgeUnderTest start(String javaOpts, String classpath, Map<String, String> env, Path logDir,
                                      Duration readyTimeout, PrintStream progress) throws IOException, InterruptedException {
        if (!onClasspath(classpath)) {
            throw new IllegalStateException(EDGE_MAIN + " is not on the edge's class path; run through bin/stocktracker "
                    + "bench-edge (or give --edge-classpath)");
        }
        EmbeddedRedis redis = null;
        EmbeddedKafka kafka = null;
        Process process = null;
        try {
            redis = EmbeddedRedis.start();
            kafka = EmbeddedKafka.start();
            TopicAdmin.ensureTopics(kafka.bootstrapServers(), Map.of(Topics.QUOTES_LATEST, Topics.configs().get(Topics.QUOTES_LATEST)), 1);
            Files.createDirectories(logDir);
            Path log = logDir.resolve("edge-" + System.currentTimeMillis() + ".log");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(Arrays.stream(javaOpts.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList());
            command.addAll(List.of("-cp", classpath, EDGE_MAIN));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("EDGE_PORT", "0");
            pb.environment().put("EDGE_ID", "bench-edge");
            pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
            pb.environment().put("REDIS_URL", redis.url());
            // every client comes from 127.0.0.1
            pb.environment().put("MAX_CONNECTIONS_PER_IP", "1000000");
            pb.environment().put("MAX_CONNECTIONS", "1000000");
            pb.environment().put("ADMISSION_RATE_PER_SECOND", "1000000");
            pb.environment().put("ADMISSION_BURST", "1000000");
            // the bench publishes its own symbols straight into Redis: there is no ingest to write symbols.universe
            pb.environment().put("SYMBOL_UNIVERSE_CHECK", "false");
            pb.environment().putAll(env);
            process = pb.start();
            progress.println("[bench-edge] edge pid " + process.pid() + ": " + String.join(" ", command.subList(0, command.size() - 3))
                    + " -cp ... " + EDGE_MAIN + " (log " + log + ")");
            int port = awaitPort(process, log, readyTimeout);
            URI ws = URI.create("ws://127.0.0.1:" + port + "/ws");
            URI ready = URI.create("http://127.0.0.1:" + port + "/ready");
            EdgeUnderTest edge = new EdgeUnderTest(ws, ready, redis.url(), process.pid(),
                    "child JVM pid " + process.pid() + " (" + javaOpts.trim() + ")", process, log, redis, kafka);
            edge.awaitReady(readyTimeout);
            return edge;
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (process != null) {
                process.destroyForcibly();
            }
            if (kafka != null) {
                kafka.close();
            }
            if (redis != null) {
                redis.close();
            }
            throw e;
        }
    }

    private static boolean onClasspath(String classpath) {
        String resource = EDGE_MAIN.replace('.', '/') + ".class";
        for (String entry : classpath.split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p) ? Files.exists(p.resolve(resource)) : p.getFileName() != null
                    && p.getFileName().toString().startsWith("ws-edge") && Files.exists(p)) {
                return true;
            }
        }
        return false;
    }

    private static int awaitPort(Process process, Path log, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("edge exited with " + process.exitValue() + " before listening; log: " + tail(log));
            }
            if (Files.exists(log)) {
                Matcher m = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
                if (m.find()) {
                    return Integer.parseInt(m.group(2));
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("edge did not log its port within " + timeout + "; log: " + tail(log));
    }

    /**
     * The edge's count of quotes it conflated (replaced by a newer quote of the same symbol while a write to that
     * client was in flight), from its /metrics; -1 when it cannot be read. A conflated quote never reaches the client
     * by design, so the benchmark reports it beside the delivery figure instead of calling it lost.
     */
    public long conflations() {
        URI metrics = URI.create(readyUrl.toString().replaceFirst("/ready$", "/metrics"));
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return -1;
            }
            OptionalDouble n = PrometheusText.parse(r.body()).first(EdgeMetricsSampler.CONFLATIONS);
            return n.isPresent() && n.getAsDouble() >= 0 ? Math.round(n.getAsDouble()) : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Waits until /ready answers 200. */
    public void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException("edge exited with " + process.exitValue() + "; log: " + tail(log));
            }
            try {
                int status = HTTP.send(HttpRequest.newBuilder(readyUrl).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("edge not ready within " + timeout + " at " + readyUrl);
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(unreadable)";
        }
    }

    public URI wsUrl() {
        return wsUrl;
    }

    public String redisUrl() {
        return redisUrl;
    }

    /** The edge JVM's pid; 0 when attached without one. */
    public long pid() {
        return pid;
    }

    public boolean alive() {
        return process == null || process.isAlive();
    }

    public String description() {
        return description;
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy(); // SIGTERM: the edge closes its clients and leaves the group
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        if (kafka != null) {
            kafka.close();
        }
        if (redis != null) {
            redis.close();
        }
    }
}

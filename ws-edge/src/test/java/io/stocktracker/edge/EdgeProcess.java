package io.stocktracker.edge;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The edge as operators run it: {@code java -cp ... io.stocktracker.edge.EdgeApp} in a JVM of its own, configured
 * only through its environment, its output in {@code target/edge-process/<edgeId>.log}.
 */
final class EdgeProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern LISTENING = Pattern.compile("edge (\\S+) listening on port (\\d+)");

    final String edgeId;
    final Path log;
    private final Process process;
    private int port;

    private EdgeProcess(String edgeId, Path log, Process process) {
        this.edgeId = edgeId;
        this.log = log;
        this.process = process;
    }

    /** Starts {@code EdgeApp.main} with the inherited environment minus every edge setting, plus {@code env}. */
    static EdgeProcess start(Map<String, String> env) throws IOException {
        String edgeId = env.get("EDGE_ID");
        Path dir = Path.of("target", "edge-process");
        Files.createDirectories(dir);
        Files.createDirectories(Path.of("target", "tmp"));
        Path log = dir.resolve(edgeId + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.io.tmpdir=" + Path.of("target", "tmp").toAbsolutePath(),
                "-cp", classpath(),
                EdgeApp.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // what the CI machine exports must not leak into the child's configuration
        EdgeConfig.KEYS.keys().forEach(k -> pb.environment().remove(k.name()));
        pb.environment().put("WARMUP_QUOTES", "0"); // 4-8 s of each start on 2 shared cores; EdgeWarmupTest covers it
        pb.environment().putAll(env);
        return new EdgeProcess(edgeId, log, pb.start());
    }

    /**
     * The test classpath: this module's classes, its test classes (logback-test.xml: quiet child logs) and every
     * dependency. Surefire forks with a manifest-only booter jar but sets java.class.path (and surefire.test.class.path)
     * to the real classpath; checked, so a change there fails with this message instead of a ClassNotFoundException.
     */
    static String classpath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String classes;
        try {
            classes = Path.of(EdgeApp.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (Exception e) {
            throw new IllegalStateException("cannot locate the edge's classes", e);
        }
        if (!List.of(cp.split(File.pathSeparator)).contains(classes)) {
            throw new IllegalStateException("the classpath to hand to the edge process does not hold " + classes + ": " + cp);
        }
        return cp;
    }

    long pid() {
        return process.pid();
    }

    /** The HTTP port, from the start-up log line (the child binds port 0). */
    int port() {
        return port;
    }

    /** Waits for the port in the start-up log line; fails early if the process dies. */
    int awaitPort(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (port == 0) {
            if (!process.isAlive()) {
                throw new AssertionError("edge process " + edgeId + " exited with " + process.exitValue() + " before listening");
            }
            Matcher m = LISTENING.matcher(logText());
            while (m.find()) {
                if (m.group(1).equals(edgeId)) {
                    port = Integer.parseInt(m.group(2));
                }
            }
            if (port == 0 && System.nanoTime() > deadline) {
                throw new AssertionError("edge process " + edgeId + " not listening within " + timeout);
            }
            Thread.sleep(20);
        }
        return port;
    }

    /** Waits for the port in the log, then for {@code /ready} 200; fails early if the process dies. */
    EdgeProcess awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        awaitPort(timeout);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("edge process " + edgeId + " exited with " + process.exitValue() + " before ready");
            }
            if (readyStatus() == 200) {
                return this;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("edge process " + edgeId + " not ready within " + timeout + " (port " + port + ")");
    }

    int readyStatus() {
        try {
            return get("/ready").statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** SIGTERM on Linux: the JVM runs its shutdown hooks. */
    void terminate() {
        process.destroy();
    }

    /** SIGKILL: no hook, no goodbye to the consumer group, no close frames. */
    void kill() {
        process.destroyForcibly();
    }

    /** The exit code, or null if the process is still running after the timeout. */
    Integer awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    boolean alive() {
        return process.isAlive();
    }

    String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    String logTail(int lines) {
        List<String> all = logText().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

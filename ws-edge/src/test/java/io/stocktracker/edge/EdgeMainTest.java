package io.stocktracker.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.model.StockQuote;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The edge's main, as its container starts it, through service-kit's ServiceMain. */
class EdgeMainTest {
    @Test
    void aBadConfigurationPrintsEveryProblemAndExitsWithCode2() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", EdgeProcess.classpath(), EdgeApp.class.getName())
                .redirectErrorStream(true);
        EdgeConfig.KEYS.keys().forEach(k -> pb.environment().remove(k.name()));
        pb.environment().put("EDGE_PORT", "http");
        pb.environment().put("MAX_FRAME_BYTES", "1");
        pb.environment().put("AUTH_MODE", "bogus");
        pb.environment().put("JWT_SECRET", "do-not-print-me");
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("exited").isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(output).isEqualTo(2);
        assertThat(output).contains("invalid ws-edge configuration", "EDGE_PORT", "MAX_FRAME_BYTES", "AUTH_MODE")
                .doesNotContain("do-not-print-me").doesNotContain("\tat ");
    }

    /** One answer of /ready, and whether the warm-up's result was in the log by the time it came back. */
    private record ReadyProbe(int status, boolean warmedUp, boolean warmUpLogged) {
    }

    /**
     * The production path (issue 12): WARMUP_QUOTES on, as the container runs the edge. /ready waits for the warm-up, and
     * the throw-away edge it ran leaves nothing behind: one listening port, none of its threads, and a real client gets a
     * real quote through Kafka and Redis.
     */
    @Test
    void withTheWarmUpOnReadyWaitsForItAndTheThrowAwayEdgeLeavesNothingBehind() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String edgeId = "edge-warm-" + run;
        Map<String, String> env = new HashMap<>();
        env.put("EDGE_PORT", "0");
        env.put("EDGE_ID", edgeId);
        env.put("KAFKA_BOOTSTRAP_SERVERS", TestInfra.kafka().bootstrapServers());
        env.put("REDIS_URL", TestInfra.redis().url());
        env.put("EDGE_CONSUMER_GROUP", "ws-edge-warm-" + run);
        env.put("SYMBOL_UNIVERSE_CHECK", "false");
        env.put("WARMUP_QUOTES", "2000");
        // a result line of "done", not "stopped early", however loaded the machine
        env.put("WARMUP_MAX_MS", "120000");
        Pattern done = Pattern.compile("edge " + Pattern.quote(edgeId) + ": warm-up done: (\\d+) frames to (\\d+) loopback clients in (\\d+) ms");
        try (EdgeProcess edge = EdgeProcess.start(env)) {
            try {
                int port = edge.awaitPort(TestInfra.TIMEOUT);
                List<ReadyProbe> probes = new ArrayList<>();
                long deadline = System.nanoTime() + TestInfra.TIMEOUT.toNanos() * 2;
                while (probes.isEmpty() || probes.get(probes.size() - 1).status() != 200) {
                    assertThat(edge.alive()).as("edge process alive").isTrue();
                    assertThat(System.nanoTime()).as("ready within " + TestInfra.TIMEOUT.multipliedBy(2)).isLessThan(deadline);
                    HttpResponse<String> r = edge.get("/ready");
                    // the result line is written before warmedUp turns true: read after the answer, it must be there
                    boolean logged = done.matcher(edge.logText()).find();
                    probes.add(new ReadyProbe(r.statusCode(), JsonCodec.tree(r.body()).path("warmedUp").asBoolean(), logged));
                    Thread.sleep(20);
                }
                assertThat(probes).as("/ready while the warm-up ran").anyMatch(p -> p.status() == 503 && !p.warmedUp());
                assertThat(probes).as("/ready said warmedUp or 200 only after the warm-up's result was logged")
                        .filteredOn(p -> p.warmedUp() || p.status() == 200).allMatch(ReadyProbe::warmUpLogged);
                assertThat(probes.get(probes.size() - 1).warmedUp()).isTrue();

                Matcher m = done.matcher(edge.logText());
                assertThat(m.find()).isTrue();
                System.out.printf("warm-up in the edge process: %s frames to %s clients in %s ms; %d /ready probes before ready%n",
                        m.group(1), m.group(2), m.group(3), probes.size());
                // 4 rounds of 500 quotes, each round's marker at every client
                assertThat(Long.parseLong(m.group(1))).isGreaterThanOrEqualTo(4L * Long.parseLong(m.group(2)));
                assertThat(edge.logText()).doesNotContain("warm-up stopped early");

                assertThat(ChildJvm.listeningPorts(edge.pid())).as("ports the edge process listens on").containsExactly(port);
                assertThat(ChildJvm.threadNames(edge.pid())).as("Jetty acceptors of the edge process")
                        .filteredOn(n -> n.contains("-acceptor-")).isNotEmpty().allMatch(n -> n.contains(":" + port + "}"));
                // no client has reached the real edge yet, and its writer pool and connection timers start their threads
                // with the first one: any such thread is the throw-away edge's; so are the loopback clients' HTTP workers
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(ChildJvm.threadNames(edge.pid()))
                        .as("threads the warm-up left in the edge process").noneMatch(n -> n.contains("warmup")
                                || n.matches("HttpClient-\\d+-Worker-\\d+") || n.startsWith("edge-writer-")
                                || n.equals("edge-connection-reaper")));
                // the JDK's HttpClient has no close() before JDK 21: its selector thread ends once the client is collected
                ChildJvm.collectGarbage(edge.pid());
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(ChildJvm.threadNames(edge.pid()))
                        .as("threads of the edge process after a collection").noneMatch(n -> n.startsWith("HttpClient-")));

                String symbol = "WARM" + run.toUpperCase();
                try (WsClient client = WsClient.open(port)) {
                    client.subscribe(symbol);
                    client.next("subscribed");
                    StockQuote q = TestInfra.publish(symbol, 42.5);
                    client.next(u -> WsClient.priceOf(u, symbol) == q.price(), Duration.ofSeconds(45),
                            "the quote through Kafka and Redis");
                }
            } catch (Throwable t) {
                System.out.println("---- tail of " + edge.log.toAbsolutePath() + " ----\n" + edge.logTail(60));
                throw t;
            }
        }
    }
}

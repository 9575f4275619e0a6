package io.stocktracker.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stocktracker.edge.protocol.ProtocolCodec;
import io.stocktracker.edge.protocol.WireFormat;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * MessagePack frames of a few bytes that declare a huge str, bin or ext. Before the frame's structure was checked
 * against its real length, the decoder allocated the declared length first: twenty such frames at once ran a 256 MiB
 * edge out of heap. The edge here is a child JVM (-Xmx256m), so an OutOfMemoryError cannot take the test JVM with it.
 */
class MessagePackBombTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int CLIENTS = 20;

    /** str32 / bin32 / ext32 declaring ~2 GiB, and a map whose 'action' is a str32 declaring 128 MiB (fits the heap once). */
    private static final byte[][] BOMBS = {
            {(byte) 0xdb, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xf0, 'h', 'i'},
            {(byte) 0xc6, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xf0, 'h', 'i'},
            {(byte) 0xc9, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xf0, 0x01, 'h', 'i'},
            {(byte) 0x81, (byte) 0xa6, 'a', 'c', 't', 'i', 'o', 'n', (byte) 0xdb, 0x08, 0x00, 0x00, 0x00, 'h', 'i'},
    };

    @Test
    void twentyConcurrentLengthBombsAreAnsweredInvalidAndTheEdgeKeepsServing() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("EDGE_PORT", "0");
        env.put("EDGE_ID", "edge-bomb-" + UUID.randomUUID().toString().substring(0, 6));
        env.put("KAFKA_BOOTSTRAP_SERVERS", TestInfra.kafka().bootstrapServers());
        env.put("REDIS_URL", TestInfra.redis().url());
        env.put("EDGE_CONSUMER_GROUP", "ws-edge-bomb-" + UUID.randomUUID().toString().substring(0, 8));
        env.put("SHUTDOWN_GRACE_MS", "500");
        env.put("SYMBOL_UNIVERSE_CHECK", "false"); // BOMB is no listed symbol: no ingest-connector writes symbols.universe here
        try (EdgeProcess edge = EdgeProcess.start(env)) {
            try {
                edge.awaitReady(TestInfra.TIMEOUT);
                URI ws = URI.create("ws://127.0.0.1:" + edge.port() + "/ws");
                List<WsClient> clients = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    WsClient c = WsClient.connect(ws, ProtocolCodec.MSGPACK_SUBPROTOCOL);
                    c.next("connected");
                    clients.add(c);
                }
                Memory before = Memory.of(edge);

                CyclicBarrier together = new CyclicBarrier(CLIENTS);
                ExecutorService senders = Executors.newFixedThreadPool(CLIENTS);
                List<CompletableFuture<Void>> sent = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    WsClient c = clients.get(i);
                    byte[] bomb = BOMBS[i % BOMBS.length];
                    sent.add(CompletableFuture.runAsync(() -> {
                        try {
                            together.await(30, TimeUnit.SECONDS);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        c.sendBinary(bomb);
                    }, senders));
                }
                CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                senders.shutdown();

                List<String> answers = new ArrayList<>();
                for (WsClient c : clients) {
                    answers.add(errorCodeOrClose(c, Duration.ofSeconds(30)));
                }
                Memory after = Memory.of(edge);
                System.out.printf("edge memory around %d concurrent length bombs: before %s; after %s%n", CLIENTS, before, after);

                assertThat(answers).as("what each bombing client was answered").containsOnly("INVALID_MESSAGE");
                assertThat(edge.alive()).isTrue();
                for (WsClient c : clients) {
                    c.sendBinary(WireFormat.msgpack(Map.of("action", "subscribe", "symbols", List.of("BOMB"))));
                    assertThat(c.next("subscribed").path("symbols").get(0).asText()).isEqualTo("BOMB");
                    c.close();
                }
                try (WsClient fresh = WsClient.open(edge.port())) {
                    fresh.subscribe("AFTER");
                    assertThat(fresh.next("subscribed").path("symbols").get(0).asText()).isEqualTo("AFTER");
                }
                assertThat(get(edge.port(), "/health").statusCode()).isEqualTo(200);
                assertThat(edge.logText()).doesNotContain("OutOfMemoryError");
            } catch (Throwable t) {
                System.out.println("---- tail of " + edge.log.toAbsolutePath() + " ----\n" + edge.logTail(60));
                throw t;
            }
        }
    }

    /** The code of the client's next error, or how its socket closed instead (without waiting out the timeout). */
    private static String errorCodeOrClose(WsClient c, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode m = c.messages.poll(100, TimeUnit.MILLISECONDS);
            if (m != null && "error".equals(m.path("type").asText())) {
                return m.path("code").asText();
            }
            if (m == null && c.closed.isDone()) {
                return "closed " + c.closed.join();
            }
        }
        return "no error within " + timeout;
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Heap used (from the edge's own /metrics), resident set size and its peak (from /proc), in MiB. */
    private record Memory(double heapUsedMib, double heapCommittedMib, double rssMib, double peakRssMib) {
        private static final Pattern HEAP = Pattern.compile("^jvm_memory_(used|committed)_bytes\\{area=\"heap\"[^}]*} (\\S+)$",
                Pattern.MULTILINE);

        static Memory of(EdgeProcess edge) throws Exception {
            double used = 0;
            double committed = 0;
            Matcher m = HEAP.matcher(get(edge.port(), "/metrics").body());
            while (m.find()) {
                double v = Double.parseDouble(m.group(2));
                if (m.group(1).equals("used")) {
                    used += v;
                } else {
                    committed += v;
                }
            }
            String status = Files.readString(Path.of("/proc", String.valueOf(edge.pid()), "status"));
            return new Memory(used / (1 << 20), committed / (1 << 20), kib(status, "VmRSS") / 1024.0, kib(status, "VmHWM") / 1024.0);
        }

        private static long kib(String status, String field) {
            Matcher m = Pattern.compile("^" + field + ":\\s+(\\d+) kB", Pattern.MULTILINE).matcher(status);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        }

        @Override
        public String toString() {
            return String.format("heap used %.1f MiB (committed %.1f), RSS %.1f MiB (peak %.1f)", heapUsedMib, heapCommittedMib,
                    rssMib, peakRssMib);
        }
    }
}

package io.stocktracker.edge;

import static io.stocktracker.edge.TestInfra.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stocktracker.schemas.codec.JsonCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/PROTOCOL.md's per-symbol order, counted at real WebSocket clients of one real edge (real broker, real
 * redis-server) while quotes stream: clients subscribe at staggered moments (snapshot racing live), one resumes
 * on its own connection with {@code since}, one reconnects and resumes on a new one. Every client must see each
 * symbol's seqs strictly increasing (no duplicate, nothing older after newer) and end on the last one.
 */
class SeqOrderIntegrationTest {
    static final List<String> SYMBOLS = List.of("SEQA", "SEQB", "SEQC");
    static final int QUOTES = 300;
    static TestEdge edge;

    @BeforeAll
    static void start() {
        edge = TestEdge.real(Map.of());
        await().atMost(TestInfra.TIMEOUT).until(edge::ready);
    }

    @AfterAll
    static void stop() {
        if (edge != null) {
            edge.close();
        }
    }

    @Test
    void seqsPerSymbolStrictlyIncreaseAcrossSubscribeSnapshotLiveAndResume() throws Exception {
        for (String s : SYMBOLS) {
            long seq = publish(s, 1.0).seq();
            await().atMost(TestInfra.TIMEOUT).until(() -> edge.cache().get(s).map(q -> q.seq() == seq).orElse(false));
        }
        AtomicInteger published = new AtomicInteger();
        ExecutorService publisher = Executors.newSingleThreadExecutor();
        List<WsClient> all = new ArrayList<>();
        Map<WsClient, List<JsonNode>> seen = new LinkedHashMap<>();
        try {
            Future<?> stream = publisher.submit(() -> {
                for (int i = 0; i < QUOTES; i++) {
                    publish(SYMBOLS.get(i % SYMBOLS.size()), 10.0 + i);
                    published.incrementAndGet();
                }
            });
            // a new subscriber every 30 quotes: each subscribe races the stream (snapshot vs live of the same seq)
            WsClient resumesInPlace = null;
            WsClient dropsAndReconnects = null;
            for (int k = 0; k < 8; k++) {
                int at = k * 30;
                await().atMost(TestInfra.TIMEOUT).until(() -> published.get() >= at);
                WsClient c = WsClient.open(edge.port());
                all.add(c);
                seen.put(c, new ArrayList<>());
                c.subscribe(SYMBOLS.toArray(String[]::new));
                if (k == 1) {
                    resumesInPlace = c;
                } else if (k == 2) {
                    dropsAndReconnects = c;
                }
            }
            // the frontend's resync: subscribe again on the same connection with what it holds
            await().atMost(TestInfra.TIMEOUT).until(() -> published.get() >= 150);
            resumesInPlace.subscribe(SYMBOLS.toArray(String[]::new));
            resumesInPlace.send(subscribeWithSince(highest(take(resumesInPlace, seen))));
            // a reconnect: the old connection goes, a new one resumes from what the client held
            await().atMost(TestInfra.TIMEOUT).until(() -> published.get() >= 200);
            Map<String, Long> held = highest(take(dropsAndReconnects, seen));
            dropsAndReconnects.close();
            WsClient resumed = WsClient.open(edge.port());
            all.add(resumed);
            List<JsonNode> history = seen.remove(dropsAndReconnects);
            seen.put(resumed, history);
            resumed.send(subscribeWithSince(held));

            stream.get(5, TimeUnit.MINUTES);
            Map<String, Long> last = new HashMap<>();
            for (String s : SYMBOLS) {
                last.put(s, publish(s, 5000.0).seq());
            }
            for (Map.Entry<WsClient, List<JsonNode>> e : seen.entrySet()) {
                readUntil(e.getKey(), e.getValue(), last);
                Map<String, List<Long>> perSymbol = seqs(e.getValue());
                for (String s : SYMBOLS) {
                    assertThat(perSymbol.get(s)).as("seqs of %s at client %s", s, e.getKey().clientId)
                            .isNotEmpty().isSorted().doesNotHaveDuplicates().endsWith(last.get(s));
                }
            }
        } finally {
            publisher.shutdownNow();
            all.forEach(WsClient::close);
        }
    }

    static String subscribeWithSince(Map<String, Long> since) {
        return "{\"action\":\"subscribe\",\"symbols\":" + JsonCodec.toJson(SYMBOLS) + ",\"since\":" + JsonCodec.toJson(since) + "}";
    }

    /** What the client has received so far, added to its history. */
    static List<JsonNode> take(WsClient c, Map<WsClient, List<JsonNode>> seen) {
        List<JsonNode> history = seen.get(c);
        c.messages.drainTo(history);
        return history;
    }

    static void readUntil(WsClient c, List<JsonNode> history, Map<String, Long> last) {
        c.next(m -> {
            history.add(m);
            Map<String, Long> top = highest(history);
            return last.entrySet().stream().allMatch(e -> top.getOrDefault(e.getKey(), Long.MIN_VALUE) >= e.getValue());
        }, Duration.ofSeconds(60), "the last quote of every symbol at " + c.clientId);
    }

    static Map<String, Long> highest(List<JsonNode> history) {
        Map<String, Long> top = new HashMap<>();
        seqs(history).forEach((s, list) -> top.put(s, list.stream().mapToLong(Long::longValue).max().orElseThrow()));
        return top;
    }

    /** Per symbol, the seqs in the order the client got them: price_update (live or snapshot) and batch_update entries. */
    static Map<String, List<Long>> seqs(List<JsonNode> history) {
        Map<String, List<Long>> out = new HashMap<>();
        for (JsonNode m : history) {
            String type = m.path("type").asText();
            if ("price_update".equals(type)) {
                out.computeIfAbsent(m.path("symbol").asText(), k -> new ArrayList<>()).add(m.path("data").path("seq").asLong());
            } else if ("batch_update".equals(type)) {
                for (JsonNode u : m.path("updates")) {
                    out.computeIfAbsent(u.path("symbol").asText(), k -> new ArrayList<>()).add(u.path("data").path("seq").asLong());
                }
            }
        }
        return out;
    }
}

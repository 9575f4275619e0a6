package io.stocktracker.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stocktracker.edge.fanout.BroadcastEngine;
import io.stocktracker.edge.protocol.ProtocolCodec;
import io.stocktracker.edge.protocol.WireFormat;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.model.StockQuote;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Subscription options (maxRate, minChangePercent, fields) at real WebSocket clients of one real edge (real broker
 * and redis-server behind its bridge), in JSON and MessagePack, next to a client without options that still gets
 * every tick.
 */
class SubscriptionOptionsTest {
    static final AtomicInteger SYMBOLS = new AtomicInteger();
    static TestEdge edge;

    @BeforeAll
    static void start() {
        edge = TestEdge.real(Map.of("MAX_VIOLATIONS", "1000"));
        await().atMost(TestInfra.TIMEOUT).until(edge::ready);
    }

    @AfterAll
    static void stop() {
        if (edge != null) {
            edge.close();
        }
    }

    /** A connected client on the JSON or the MessagePack subprotocol. */
    static WsClient client(boolean msgpack) {
        WsClient c = msgpack
                ? WsClient.connect(URI.create("ws://127.0.0.1:" + edge.port() + "/ws"), ProtocolCodec.MSGPACK_SUBPROTOCOL)
                : WsClient.connect(edge.port());
        c.clientId = c.next("connected").get("clientId").asText();
        return c;
    }

    static void send(WsClient c, boolean msgpack, Map<String, Object> message) {
        if (msgpack) {
            c.sendBinary(WireFormat.msgpack(message));
        } else {
            c.send(JsonCodec.toJson(message));
        }
    }

    static void subscribe(WsClient c, boolean msgpack, String symbol, Map<String, Object> options) {
        Map<String, Object> m = new LinkedHashMap<>(Map.of("action", "subscribe", "symbols", List.of(symbol)));
        if (options != null) {
            m.put("options", options);
        }
        send(c, msgpack, m);
        assertThat(c.next("subscribed").get("symbols").get(0).asText()).isEqualTo(symbol);
        await().atMost(TestInfra.TIMEOUT).until(() -> edge.subscriptions().getSubscribers(symbol).contains(c.clientId));
    }

    static String symbol() {
        return "OPT" + SYMBOLS.incrementAndGet();
    }

    static StockQuote broadcast(String symbol, double price) {
        StockQuote q = TestInfra.quote(symbol, price);
        edge.broadcastEngine().broadcast(BroadcastEngine.Update.of(q));
        return q;
    }

    /** Every quote of {@code symbol} (live or in a batch) received until one with {@code lastPrice}. */
    static List<JsonNode> quotesUntil(WsClient c, String symbol, double lastPrice) {
        List<JsonNode> out = new ArrayList<>();
        c.next(m -> {
            out.addAll(dataOf(m, symbol));
            return WsClient.priceOf(m, symbol) == lastPrice;
        }, Duration.ofSeconds(45), symbol + "@" + lastPrice);
        return out;
    }

    static List<JsonNode> dataOf(JsonNode m, String symbol) {
        List<JsonNode> out = new ArrayList<>();
        if ("price_update".equals(m.path("type").asText()) && symbol.equals(m.path("symbol").asText())) {
            out.add(m.get("data"));
        }
        for (JsonNode u : m.path("updates")) {
            if (symbol.equals(u.path("symbol").asText())) {
                out.add(u.get("data"));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "msgpack={0}")
    @ValueSource(booleans = {false, true})
    void maxRateSendsAtMostThatManyPerSecondAndTheNewestWithoutAnotherTick(boolean msgpack) {
        String symbol = symbol();
        try (WsClient desk = client(msgpack); WsClient mobile = client(msgpack)) {
            subscribe(desk, msgpack, symbol, null);
            subscribe(mobile, msgpack, symbol, Map.of("maxRate", 2));
            long started = System.nanoTime();
            List<Long> published = new ArrayList<>();
            List<Long> deskSeqs = new ArrayList<>();
            for (int i = 1; i <= 40; i++) {
                published.add(broadcast(symbol, 100 + i).seq());
                // the client without options reads each tick before the next one is published: it keeps up
                quotesUntil(desk, symbol, 100 + i).forEach(d -> deskSeqs.add(d.get("seq").asLong()));
            }
            double seconds = (System.nanoTime() - started) / 1e9;

            List<Long> mobileSeqs = quotesUntil(mobile, symbol, 140).stream().map(d -> d.get("seq").asLong()).toList();
            // the last tick came while its interval was closed: only the timer can have sent it
            assertThat(mobileSeqs).isSorted().doesNotHaveDuplicates().endsWith(published.get(39))
                    .hasSizeLessThanOrEqualTo((int) Math.floor(seconds * 2) + 2);
            assertThat(mobile.collect(Duration.ofMillis(1500))).as("nothing after the newest").allSatisfy(
                    m -> assertThat(dataOf(m, symbol)).isEmpty());

            assertThat(deskSeqs).as("the client without options, keeping up, gets every tick").isEqualTo(published);
            assertThat(mobileSeqs).hasSizeLessThan(published.size());
        }
    }

    @ParameterizedTest(name = "msgpack={0}")
    @ValueSource(booleans = {false, true})
    void minChangePercentSendsTheSnapshotThenOnlyMovesOfAtLeastThatMuchFromWhatTheClientHas(boolean msgpack) {
        String symbol = symbol();
        StockQuote cached = TestInfra.publish(symbol, 100.0);
        await().atMost(TestInfra.TIMEOUT).until(() -> edge.cache().get(symbol).map(q -> q.seq().equals(cached.seq())).orElse(false));
        try (WsClient c = client(msgpack)) {
            subscribe(c, msgpack, symbol, Map.of("minChangePercent", 1));
            assertThat(c.nextPrice(symbol, 100.0).path("snapshot").asBoolean()).isTrue();

            for (double[] step : new double[][] {{100.5, 100.9, 101.2}, {100.5, 100.3, 99.0}, {99.5, 98.1, 150.0}}) {
                for (double price : step) {
                    broadcast(symbol, price);
                }
                List<JsonNode> got = quotesUntil(c, symbol, step[2]);
                assertThat(got).extracting(d -> d.get("price").asDouble()).as("after %s", java.util.Arrays.toString(step)).containsExactly(step[2]);
            }
        }
    }

    @ParameterizedTest(name = "msgpack={0}")
    @ValueSource(booleans = {false, true})
    void fieldsCutSnapshotsLiveUpdatesAndBatchesToTheFieldsAskedForPlusSymbolPriceAndSeq(boolean msgpack) {
        String symbol = symbol();
        StockQuote cached = TestInfra.publish(symbol, 50.0);
        await().atMost(TestInfra.TIMEOUT).until(() -> edge.cache().get(symbol).map(q -> q.seq().equals(cached.seq())).orElse(false));
        String other = symbol();
        try (WsClient c = client(msgpack); WsClient full = client(msgpack)) {
            Map<String, Object> m = new LinkedHashMap<>(Map.of("action", "subscribe", "symbols", List.of(symbol, other)));
            m.put("options", Map.of("fields", List.of("volume", "changePercent")));
            send(c, msgpack, m);
            c.next("subscribed");
            await().atMost(TestInfra.TIMEOUT).until(() -> edge.subscriptions().getSubscribers(other).contains(c.clientId));
            subscribe(full, msgpack, other, null);

            JsonNode snapshot = c.nextPrice(symbol, 50.0);
            assertThat(snapshot.path("snapshot").asBoolean()).isTrue();
            assertThat(names(snapshot.get("data"))).containsExactly("changePercent", "price", "seq", "symbol", "volume");
            assertThat(snapshot.has("source")).isFalse();

            // two symbols in a tight loop: behind a write in flight they leave as batch_update
            for (int i = 1; i <= 60; i++) {
                broadcast(symbol, 50 + i);
                broadcast(other, 70 + i);
            }
            List<JsonNode> frames = new ArrayList<>();
            c.next(f -> {
                frames.add(f);
                return WsClient.priceOf(f, other) == 130;
            }, Duration.ofSeconds(45), "the last update");
            List<JsonNode> data = new ArrayList<>();
            frames.forEach(f -> {
                data.addAll(dataOf(f, symbol));
                data.addAll(dataOf(f, other));
            });
            assertThat(data).hasSizeGreaterThanOrEqualTo(2).allSatisfy(
                    d -> assertThat(names(d)).containsExactly("changePercent", "price", "seq", "symbol", "volume"));

            JsonNode uncut = dataOf(full.nextPrice(other, 130), other).get(0);
            assertThat(names(uncut)).contains("change", "high", "low", "open", "previousClose", "timestamp", "source",
                    "ingestedAt", "processedAt");
        }
    }

    static Set<String> names(JsonNode data) {
        Set<String> out = new TreeSet<>();
        for (Iterator<String> it = data.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    static List<Arguments> badOptions() {
        List<Arguments> out = new ArrayList<>();
        for (boolean msgpack : new boolean[] {false, true}) {
            out.add(Arguments.of(msgpack, Map.of("options", Map.of("maxRate", 0)), "'maxRate'"));
            out.add(Arguments.of(msgpack, Map.of("options", Map.of("maxRate", 1e9)), "'maxRate'"));
            out.add(Arguments.of(msgpack, Map.of("options", Map.of("minChangePercent", -2)), "'minChangePercent'"));
            out.add(Arguments.of(msgpack, Map.of("options", Map.of("minChangePercent", 101)), "'minChangePercent'"));
            out.add(Arguments.of(msgpack, Map.of("options", Map.of("fields", List.of("price", "bid"))), "Unknown field 'bid' in 'fields'"));
            out.add(Arguments.of(msgpack, Map.of("options", Map.of("fields", List.of())), "'fields'"));
            out.add(Arguments.of(msgpack, Map.of("options", Map.of("rate", 1)), "Unknown option 'rate'"));
            out.add(Arguments.of(msgpack, Map.of("options", "fast"), "'options'"));
            out.add(Arguments.of(msgpack, Map.of("symbolOptions", Map.of("ELSE", Map.of("maxRate", 1))), "'symbolOptions'"));
            out.add(Arguments.of(msgpack, Map.of("symbolOptions", Map.of("BADOPT", Map.of("maxRate", -1))), "'maxRate' in 'symbolOptions.BADOPT'"));
        }
        return out;
    }

    @ParameterizedTest(name = "msgpack={0} {1}")
    @MethodSource("badOptions")
    void aBadOptionIsRefusedWithInvalidMessageNamingItAndNothingIsSubscribed(boolean msgpack, Map<String, Object> extra, String named) {
        try (WsClient c = client(msgpack)) {
            Map<String, Object> m = new LinkedHashMap<>(Map.of("action", "subscribe", "symbols", List.of("BADOPT")));
            m.putAll(extra);
            send(c, msgpack, m);
            JsonNode error = c.next("error");
            assertThat(error.get("code").asText()).isEqualTo("INVALID_MESSAGE");
            assertThat(error.get("message").asText()).contains(named).endsWith("nothing was subscribed");
            assertThat(edge.subscriptions().getSubscribers("BADOPT")).doesNotContain(c.clientId);
            // the connection stays usable
            send(c, msgpack, Map.of("action", "ping"));
            assertThat(c.next("pong")).isNotNull();
        }
    }

    @Test
    void subscribingAgainWithoutOptionsIsEveryTickAgain() {
        String symbol = symbol();
        try (WsClient c = client(false)) {
            subscribe(c, false, symbol, Map.of("minChangePercent", 50));
            broadcast(symbol, 10);
            assertThat(c.nextPrice(symbol, 10)).isNotNull();
            subscribe(c, false, symbol, null);
            broadcast(symbol, 10.01);
            assertThat(c.nextPrice(symbol, 10.01)).isNotNull();
        }
    }
}

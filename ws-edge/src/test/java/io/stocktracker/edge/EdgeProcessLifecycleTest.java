package io.stocktracker.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Channels;
import io.stocktracker.schemas.contract.CloseCode;
import io.stocktracker.schemas.contract.Topics;
import io.stocktracker.schemas.model.StockQuote;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The edge's life as operators see it: a real {@code EdgeApp.main} in its own JVM, stopped with SIGTERM or SIGKILL,
 * next to a second edge (in this JVM) of the same consumer group that has to take over its partitions.
 */
class EdgeProcessLifecycleTest {
    /** The broker's default group.min.session.timeout.ms: the shortest session timeout an operator can actually use. */
    private static final int SHORT_SESSION_MS = 6000;
    /** Long enough that only a clean leave can move the partitions within the test's wait. */
    private static final int LONG_SESSION_MS = 60_000;
    private static final int GRACE_MS = 3000;

    private static RedisClient redis;
    private static StatefulRedisConnection<String, String> commands;
    private static StatefulRedisPubSubConnection<String, String> updates;
    /** Every price_update seen on market-data:updates: symbol -> seqs. */
    private static final Map<String, Set<Long>> onRedis = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeAll
    static void infrastructure() {
        TestInfra.kafka();
        redis = RedisClient.create(TestInfra.redis().url());
        commands = redis.connect();
        updates = redis.connectPubSub();
        updates.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                JsonNode m = JsonCodec.tree(message);
                if ("price_update".equals(m.path("type").asText())) {
                    onRedis.computeIfAbsent(m.path("symbol").asText(), s -> new ConcurrentSkipListSet<>())
                            .add(m.path("data").path("seq").asLong());
                }
            }
        });
        updates.sync().subscribe(Channels.UPDATES);
    }

    @AfterAll
    static void closeRedis() {
        updates.close();
        commands.close();
        redis.shutdown();
    }

    @Test
    void sigtermClosesClientsWithGoingAwayLeavesTheGroupAtOnceAndLosesNoUpdate() throws Throwable {
        inAPair("term", LONG_SESSION_MS, (a, b, symbol, activeKey) -> {
            try (WsClient onA = WsClient.open(a.port()); WsClient idleOnA = WsClient.open(a.port())) {
                onA.subscribe(symbol);
                onA.next("subscribed");
                await().atMost(TestInfra.TIMEOUT).until(() -> commands.sync().sismember(activeKey, symbol));

                // a steady feed of this symbol runs through the shutdown, the hand-over and the reconnect
                Feed feed = new Feed(symbol);
                feed.start();
                try {
                    List<Long> seenOnA = new ArrayList<>();
                    onA.next(m -> {
                        collectSeqs(m, symbol, seenOnA);
                        return !seenOnA.isEmpty();
                    }, Duration.ofSeconds(45), symbol + " on the edge process");

                    long signalled = System.nanoTime();
                    a.terminate();
                    WsClient.Close closeA = onA.awaitClose();
                    assertThat(closeA.code()).as("close code of a subscribed client").isEqualTo(CloseCode.GOING_AWAY.code());
                    assertThat(idleOnA.awaitClose().code()).as("close code of an idle client").isEqualTo(CloseCode.GOING_AWAY.code());
                    drainSeqs(onA, symbol, seenOnA);
                    long since = seenOnA.stream().mapToLong(Long::longValue).max().orElseThrow();

                    // the client comes back at once on the other edge and resumes
                    try (WsClient resumed = WsClient.open(b.port())) {
                        resumed.send("{\"action\":\"subscribe\",\"symbols\":[\"" + symbol + "\"],\"since\":{\"" + symbol + "\":"
                                + since + "}}");
                        resumed.next("subscribed");

                        Integer exit = a.awaitExit(Duration.ofMillis(GRACE_MS).plusSeconds(30));
                        long exitedMs = (System.nanoTime() - signalled) / 1_000_000;
                        assertThat(exit).as("exit code after SIGTERM (128 + 15: the JVM ran its shutdown hook)").isEqualTo(143);
                        // only a member that left can lose its partitions this soon: its session would last a minute
                        await().atMost(Duration.ofMillis(LONG_SESSION_MS / 2))
                                .until(() -> TestInfra.partitionsOwnedBy(b).size() == Topics.DEFAULT_PARTITIONS);
                        long takenOverMs = (System.nanoTime() - signalled) / 1_000_000;
                        System.out.printf("SIGTERM: edge process exited after %d ms, the other edge owned every partition after %d ms%n",
                                exitedMs, takenOverMs);
                        assertThat(commands.sync().exists(activeKey)).as("the stopped edge deleted " + activeKey).isZero();

                        Thread.sleep(300); // a few more quotes through the new owner
                        StockQuote last = feed.stop();
                        // the client's rule (PROTOCOL.md): apply an update only if its seq is above the one it holds
                        long[] held = {since};
                        resumed.next(m -> {
                            List<Long> seqs = new ArrayList<>();
                            collectSeqs(m, symbol, seqs);
                            seqs.forEach(seq -> held[0] = Math.max(held[0], seq));
                            return held[0] >= last.seq();
                        }, Duration.ofSeconds(45), "the last quote of " + symbol + " on the other edge (resumed from seq " + since + ")");
                        assertThat(held[0]).as("the resumed client ends on the last quote written").isEqualTo(last.seq());
                        // at least once toward Redis across the hand-over: the old owner published up to its commit, the new one from there
                        await().atMost(TestInfra.TIMEOUT).untilAsserted(() -> assertThat(onRedis.getOrDefault(symbol, Set.of()))
                                .as("every quote written during the shutdown reached market-data:updates").containsAll(feed.seqs()));
                    }
                } finally {
                    feed.stop();
                }
            }
        });
    }

    @Test
    void afterSigkillTheOtherEdgeTakesOverWhenTheSessionTimesOutAndItsClientsGetThoseSymbolsAgain() throws Throwable {
        inAPair("kill", SHORT_SESSION_MS, (a, b, symbol, activeKey) -> {
            try (WsClient onA = WsClient.open(a.port()); WsClient onB = WsClient.open(b.port())) {
                onA.subscribe(symbol);
                onA.next("subscribed");
                onB.subscribe(symbol);
                onB.next("subscribed");
                await().atMost(TestInfra.TIMEOUT).until(() -> commands.sync().sismember(activeKey, symbol));
                StockQuote before = TestInfra.publish(symbol, 10.5);
                onA.nextPrice(symbol, before.price());
                onB.nextPrice(symbol, before.price()); // relayed by the edge process, through Redis

                long killed = System.nanoTime();
                a.kill();
                assertThat(a.awaitExit(Duration.ofSeconds(30))).as("exit code after SIGKILL").isEqualTo(137);
                assertThat(onA.awaitClose().code()).as("a killed edge sends no close frame").isNotEqualTo(CloseCode.GOING_AWAY.code());
                assertThat(commands.sync().ttl(activeKey)).as(activeKey + " is left to expire").isPositive();

                // nobody relays this partition until the group gives up on the dead member
                StockQuote during = TestInfra.publish(symbol, 11.5);
                await().atMost(TestInfra.TIMEOUT).until(() -> TestInfra.partitionsOwnedBy(b).size() == Topics.DEFAULT_PARTITIONS);
                long takenOverMs = (System.nanoTime() - killed) / 1_000_000;
                System.out.printf("SIGKILL: the other edge owned every partition %d ms after the kill (session timeout %d ms)%n",
                        takenOverMs, SHORT_SESSION_MS);
                // the dead member's last heartbeat was at most one interval before the kill
                assertThat(takenOverMs).as("take-over waited for the session timeout").isGreaterThanOrEqualTo(SHORT_SESSION_MS - 2000);

                onB.nextPrice(symbol, during.price());
                StockQuote after = TestInfra.publish(symbol, 12.5);
                onB.nextPrice(symbol, after.price());
                try (WsClient resumed = WsClient.open(b.port())) {
                    resumed.send("{\"action\":\"subscribe\",\"symbols\":[\"" + symbol + "\"],\"since\":{\"" + symbol + "\":"
                            + before.seq() + "}}");
                    JsonNode snapshot = resumed.next(m -> WsClient.priceOf(m, symbol) == after.price(), Duration.ofSeconds(45),
                            "the current value of " + symbol + " for a client of the dead edge");
                    assertThat(snapshot.path("snapshot").asBoolean()).isTrue();
                }
            }
        });
    }

    private interface PairBody {
        void run(EdgeProcess a, TestEdge b, String symbol, String activeKey) throws Throwable;
    }

    /**
     * An edge as a child JVM ({@code a}) and an in-process survivor ({@code b}) in a fresh group, split, with a symbol on a
     * partition the child owns; the child's log tail is printed when the body fails.
     */
    private static void inAPair(String kind, int childSessionMs, PairBody body) throws Throwable {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String group = "ws-edge-sig" + kind + "-" + run;
        EdgeProcess a = EdgeProcess.start(childEnv("edge-" + kind + "-" + run, group, childSessionMs));
        TestEdge b = TestEdge.real(inProcessConfig("edge-survivor-" + kind.charAt(0) + "-" + run, group));
        try {
            awaitSplit(a, b);
            String symbol = symbolOn(partitionsNotOwnedBy(b), kind.toUpperCase() + run.toUpperCase() + "X");
            body.run(a, b, symbol, Channels.activeSymbolsKey(a.edgeId));
        } catch (Throwable t) {
            System.out.println("---- tail of " + a.log.toAbsolutePath() + " ----\n" + a.logTail(80));
            throw t;
        } finally {
            a.close();
            b.close();
        }
    }

    private static Map<String, String> childEnv(String edgeId, String group, int sessionMs) {
        Map<String, String> env = new HashMap<>();
        env.put("EDGE_PORT", "0");
        env.put("EDGE_ID", edgeId);
        env.put("KAFKA_BOOTSTRAP_SERVERS", TestInfra.kafka().bootstrapServers());
        env.put("REDIS_URL", TestInfra.redis().url());
        env.put("EDGE_CONSUMER_GROUP", group);
        env.put("KAFKA_SESSION_TIMEOUT_MS", String.valueOf(sessionMs));
        env.put("KAFKA_HEARTBEAT_INTERVAL_MS", "1000");
        env.put("SHUTDOWN_GRACE_MS", String.valueOf(GRACE_MS));
        env.put("REDIS_RECONNECT_MAX_BACKOFF_MS", "500");
        env.put("SYMBOL_UNIVERSE_CHECK", "false");
        return env;
    }

    private static EdgeConfig inProcessConfig(String edgeId, String group) {
        return TestInfra.config(Map.of("EDGE_ID", edgeId, "EDGE_CONSUMER_GROUP", group,
                "KAFKA_SESSION_TIMEOUT_MS", String.valueOf(SHORT_SESSION_MS), "KAFKA_HEARTBEAT_INTERVAL_MS", "1000"));
    }

    /** Both edges ready, the process owning some partitions (the group has no other member). */
    private static void awaitSplit(EdgeProcess a, TestEdge b) throws Exception {
        a.awaitReady(TestInfra.TIMEOUT);
        await().atMost(TestInfra.TIMEOUT).until(() -> b.ready() && !TestInfra.partitionsOwnedBy(b).isEmpty()
                && TestInfra.partitionsOwnedBy(b).size() < Topics.DEFAULT_PARTITIONS && a.readyStatus() == 200);
    }

    private static Set<Integer> partitionsNotOwnedBy(TestEdge b) {
        Set<Integer> owned = TestInfra.partitionsOwnedBy(b);
        Set<Integer> others = new java.util.HashSet<>();
        for (int p = 0; p < Topics.DEFAULT_PARTITIONS; p++) {
            if (!owned.contains(p)) {
                others.add(p);
            }
        }
        return others;
    }

    /** A symbol of this test's own, on one of these partitions (the default partitioner's murmur2 of the key). */
    private static String symbolOn(Set<Integer> partitions, String prefix) {
        for (int i = 0; ; i++) {
            String s = prefix + i;
            int p = Utils.toPositive(Utils.murmur2(s.getBytes(StandardCharsets.UTF_8))) % Topics.DEFAULT_PARTITIONS;
            if (partitions.contains(p)) {
                return s;
            }
        }
    }

    /** The seqs of this symbol among the messages already queued on the client (the queue is consumed). */
    private static void drainSeqs(WsClient c, String symbol, List<Long> out) {
        JsonNode m;
        while ((m = c.messages.poll()) != null) {
            collectSeqs(m, symbol, out);
        }
    }

    private static void collectSeqs(JsonNode m, String symbol, List<Long> out) {
        if ("price_update".equals(m.path("type").asText()) && symbol.equals(m.path("symbol").asText())) {
            out.add(m.path("data").path("seq").asLong());
        }
        if ("batch_update".equals(m.path("type").asText())) {
            for (JsonNode u : m.path("updates")) {
                if (symbol.equals(u.path("symbol").asText())) {
                    out.add(u.path("data").path("seq").asLong());
                }
            }
        }
    }

    /** Quotes of one symbol into quotes.latest every 50 ms, remembering what was written. */
    private static final class Feed {
        private final String symbol;
        private final List<StockQuote> written = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Feed(String symbol) {
            this.symbol = symbol;
            this.thread = new Thread(this::run, "feed-" + symbol);
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void run() {
            for (int i = 1; running.get(); i++) {
                written.add(TestInfra.publish(symbol, 100 + i / 100.0));
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** Stops the feed (idempotent); the last quote it wrote. */
        StockQuote stop() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
            return written.isEmpty() ? null : written.get(written.size() - 1);
        }

        List<Long> seqs() {
            return written.stream().map(StockQuote::seq).toList();
        }
    }
}

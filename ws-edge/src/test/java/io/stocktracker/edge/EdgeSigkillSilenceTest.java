package io.stocktracker.edge;

import io.stocktracker.edge.bridge.BridgeConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stocktracker.schemas.contract.Topics;
import io.stocktracker.schemas.model.StockQuote;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/**
 * issue 15 point 1: after an edge is SIGKILLed, no symbol is silent for more than 3 s at a client of another edge,
 * with no duplicate and the latest value delivered, while the group keeps its default 15 s session timeout. The dead
 * edge is a JVM of its own ({@link EdgeProcess}), killed with SIGKILL: no leave-group, no clean Redis close.
 */
class EdgeSigkillSilenceTest {
    private static final long MAX_SILENCE_MS = 3000;
    private static final Duration FEED_PERIOD = Duration.ofMillis(100);
    /** Long enough after the kill that a relay waiting for the session timeout (15 s) shows up as silence. */
    private static final Duration AFTER_KILL = Duration.ofSeconds(18);
    /** Longer than RELAY_TAKEOVER_AFTER_MS (1 s), shorter than the group's session timeout (15 s). */
    private static final Duration FREEZE = Duration.ofSeconds(5);

    @Test
    void aSigkilledEdgesSymbolsKeepFlowingAtTheOtherEdgesClientsWithinThreeSecondsWithoutDuplicates() throws Throwable {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String group = "ws-edge-silence-" + run;
        EdgeProcess a = EdgeProcess.start(childEnv("edge-silence-" + run, group));
        TestEdge b = TestEdge.real(Map.of("EDGE_ID", "edge-survivor-" + run, "EDGE_CONSUMER_GROUP", group));
        Feed feed = null;
        try {
            a.awaitReady(TestInfra.TIMEOUT);
            await().atMost(TestInfra.TIMEOUT).until(() -> b.ready() && !TestInfra.partitionsOwnedBy(b).isEmpty()
                    && TestInfra.partitionsOwnedBy(b).size() < Topics.DEFAULT_PARTITIONS && a.readyStatus() == 200);
            String symbol = symbolOn(partitionsNotOwnedBy(b), "SILENT" + run.toUpperCase());
            try (WsClient onB = WsClient.open(b.port())) {
                onB.subscribe(symbol);
                onB.next("subscribed");
                StockQuote first = TestInfra.publish(symbol, 10.0);
                onB.nextPrice(symbol, first.price()); // relayed by the edge process, through Redis

                feed = new Feed(symbol);
                Arrivals arrivals = new Arrivals(symbol);
                arrivals.collect(onB, Duration.ofSeconds(2));
                long killed = System.nanoTime();
                a.kill();
                assertThat(a.awaitExit(Duration.ofSeconds(30))).as("exit code after SIGKILL").isEqualTo(137);
                arrivals.collect(onB, AFTER_KILL);
                StockQuote last = feed.stop();
                arrivals.collectUntil(onB, last.seq(), Duration.ofSeconds(45));

                long silence = arrivals.longestSilenceMsAfter(killed - TimeUnit.SECONDS.toNanos(1));
                System.out.printf("SIGKILL of an edge: longest silence of %s at a client of the other edge %d ms"
                        + " (%d updates received, group session timeout %s ms)%n", symbol, silence, arrivals.seqs.size(),
                        String.valueOf(BridgeConfig.DEFAULT_SESSION_TIMEOUT.toMillis()));
                assertThat(arrivals.seqs).as("no seq twice, none backwards").doesNotHaveDuplicates().isSorted();
                assertThat(arrivals.seqs.get(arrivals.seqs.size() - 1)).as("the latest value arrived").isEqualTo(last.seq());
                assertThat(silence).as("longest silence after the kill (ms)").isLessThanOrEqualTo(MAX_SILENCE_MS);
            }
        } catch (Throwable t) {
            System.out.println("---- tail of " + a.log.toAbsolutePath() + " ----\n" + a.logTail(60));
            throw t;
        } finally {
            if (feed != null) {
                feed.stop();
            }
            a.close();
            b.close();
        }
    }

    @Test
    void anEdgeFrozenLongerThanTheTakeOverButShorterThanTheSessionCausesNoRebalanceNoDuplicateAndNoLongSilence()
            throws Throwable {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String group = "ws-edge-frozen-" + run;
        EdgeProcess a = EdgeProcess.start(childEnv("edge-frozen-" + run, group));
        TestEdge b = TestEdge.real(Map.of("EDGE_ID", "edge-awake-" + run, "EDGE_CONSUMER_GROUP", group));
        Feed feed = null;
        try {
            a.awaitReady(TestInfra.TIMEOUT);
            await().atMost(TestInfra.TIMEOUT).until(() -> b.ready() && !TestInfra.partitionsOwnedBy(b).isEmpty()
                    && TestInfra.partitionsOwnedBy(b).size() < Topics.DEFAULT_PARTITIONS && a.readyStatus() == 200);
            Set<Integer> before = TestInfra.partitionsOwnedBy(b);
            String symbol = symbolOn(partitionsNotOwnedBy(b), "FROZEN" + run.toUpperCase());
            try (WsClient onB = WsClient.open(b.port())) {
                onB.subscribe(symbol);
                onB.next("subscribed");
                StockQuote first = TestInfra.publish(symbol, 10.0);
                onB.nextPrice(symbol, first.price());

                feed = new Feed(symbol);
                Arrivals arrivals = new Arrivals(symbol);
                SteadyCost cost = new SteadyCost("edge-bridge-edge-awake-" + run);
                arrivals.collect(onB, Duration.ofSeconds(4));
                System.out.println("steady state, 2 edges: " + cost.report());
                long frozen = System.nanoTime();
                signal("STOP", a.pid()); // what a long GC pause or a starved host looks like from outside
                arrivals.collect(onB, FREEZE);
                signal("CONT", a.pid());
                arrivals.collect(onB, Duration.ofSeconds(5));
                StockQuote last = feed.stop();
                arrivals.collectUntil(onB, last.seq(), Duration.ofSeconds(45));

                long silence = arrivals.longestSilenceMsAfter(frozen - TimeUnit.SECONDS.toNanos(1));
                System.out.printf("edge frozen %d ms: longest silence of %s at a client of the other edge %d ms%n",
                        FREEZE.toMillis(), symbol, silence);
                assertThat(TestInfra.partitionsOwnedBy(b)).as("no rebalance: the group never noticed").containsExactlyInAnyOrderElementsOf(before);
                assertThat(a.alive()).isTrue();
                assertThat(a.logText()).doesNotContain("without a commit (session expired)").doesNotContain("handing over");
                assertThat(arrivals.seqs).as("no seq twice, none backwards").doesNotHaveDuplicates().isSorted();
                assertThat(arrivals.seqs.get(arrivals.seqs.size() - 1)).as("the latest value arrived").isEqualTo(last.seq());
                assertThat(silence).as("longest silence while frozen (ms)").isLessThanOrEqualTo(MAX_SILENCE_MS);
            }
        } catch (Throwable t) {
            System.out.println("---- tail of " + a.log.toAbsolutePath() + " ----\n" + a.logTail(60));
            throw t;
        } finally {
            if (feed != null) {
                feed.stop();
            }
            a.close();
            b.close();
        }
    }

    /**
     * The storm's restart (issue 15 point 4): the edge is SIGKILLed and started again under the same EDGE_ID, as a
     * replaced pod or {@code bin/stocktracker storm} does. The group keeps the dead member and its partitions until its
     * session expires (45 s here); the relay take-over must see the predecessor as silent although an edge of its name
     * is alive again, or every symbol freezes until then.
     */
    @Test
    void anEdgeRestartedUnderItsOwnIdRelaysItsDeadPredecessorsPartitionsBeforeTheGroupSessionExpires() throws Throwable {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String id = "edge-reborn-" + run;
        String group = "ws-edge-reborn-" + run;
        Map<String, String> env = childEnv(id, group);
        env.put("KAFKA_SESSION_TIMEOUT_MS", "45000");
        env.put("KAFKA_HEARTBEAT_INTERVAL_MS", "3000");
        EdgeProcess a = EdgeProcess.start(env);
        TestEdge b = null;
        Feed feed = null;
        try {
            a.awaitReady(TestInfra.TIMEOUT);
            String symbol = symbolOn(Set.of(0, 1, 2, 3, 4, 5), "REBORN" + run.toUpperCase());
            try (WsClient onA = WsClient.open(a.port())) {
                onA.subscribe(symbol);
                onA.next("subscribed");
                StockQuote first = TestInfra.publish(symbol, 10.0);
                onA.nextPrice(symbol, first.price()); // the only member relays every partition
            }
            a.kill();
            assertThat(a.awaitExit(Duration.ofSeconds(30))).as("exit code after SIGKILL").isEqualTo(137);
            b = TestEdge.real(Map.of("EDGE_ID", id, "EDGE_CONSUMER_GROUP", group, "KAFKA_SESSION_TIMEOUT_MS", "45000",
                    "KAFKA_HEARTBEAT_INTERVAL_MS", "3000"));
            TestEdge reborn = b;
            // not ready() yet: that needs the group's assignment, which waits for the dead member's session to expire
            await().atMost(TestInfra.TIMEOUT).until(() -> reborn.bridge().health().cacheReady() && reborn.bridge().health().pubSubUp());
            assertThat(b.bridge().health().feedAssigned()).as("the group still holds the dead member's partitions").isFalse();
            try (WsClient onB = WsClient.open(b.port())) {
                onB.subscribe(symbol);
                onB.next("subscribed");
                feed = new Feed(symbol);
                assertFlowsWithoutLongSilence(onB, symbol, Duration.ofSeconds(10), "the restarted edge's (" + id + ") client");
            }
        } catch (Throwable t) {
            System.out.println("---- tail of " + a.log.toAbsolutePath() + " ----\n" + a.logTail(60));
            throw t;
        } finally {
            if (feed != null) {
                feed.stop();
            }
            a.close();
            if (b != null) {
                b.close();
            }
        }
    }

    /**
     * The chaos run's restarted edge got its partitions back from the group before its Redis link was up (seconds on a
     * loaded box): it relays to nobody meanwhile, and the edge that handed them over stopped at once; every client of
     * the other edge saw those symbols freeze (19 s). An edge whose Redis is unreachable joins the group the same way.
     */
    @Test
    void partitionsHandedToAnEdgeThatCannotReachRedisKeepFlowingAtTheOtherEdgesClients() throws Throwable {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String group = "ws-edge-mute-" + run;
        TestEdge b = TestEdge.real(Map.of("EDGE_ID", "edge-keeper-" + run, "EDGE_CONSUMER_GROUP", group));
        Map<String, String> env = childEnv("edge-mute-" + run, group);
        env.put("REDIS_URL", "redis://127.0.0.1:1"); // nothing listens there: the edge joins the group, cannot publish
        EdgeProcess c = null;
        Feed feed = null;
        try {
            await().atMost(TestInfra.TIMEOUT).until(() -> b.ready() && TestInfra.partitionsOwnedBy(b).size() == Topics.DEFAULT_PARTITIONS);
            c = EdgeProcess.start(env);
            await().atMost(TestInfra.TIMEOUT).until(() -> TestInfra.partitionsOwnedBy(b).size() < Topics.DEFAULT_PARTITIONS);
            String symbol = symbolOn(partitionsNotOwnedBy(b), "MUTE" + run.toUpperCase());
            try (WsClient onB = WsClient.open(b.port())) {
                onB.subscribe(symbol);
                onB.next("subscribed");
                feed = new Feed(symbol);
                assertFlowsWithoutLongSilence(onB, symbol, Duration.ofSeconds(8),
                        "the other edge's client, beside an edge that cannot reach Redis");
            }
        } catch (Throwable t) {
            if (c != null) {
                System.out.println("---- tail of " + c.log.toAbsolutePath() + " ----\n" + c.logTail(60));
            }
            throw t;
        } finally {
            if (feed != null) {
                feed.stop();
            }
            if (c != null) {
                c.close();
            }
            b.close();
        }
    }

    /** Redis commands of the relay heartbeat (all edges) and CPU of the in-process edge's bridge scheduler thread. */
    private static final class SteadyCost {
        private final long startNanos = System.nanoTime();
        private final Map<String, Long> startCalls;
        private final long startCpu;
        private final long threadId;

        SteadyCost(String schedulerThread) {
            this.startCalls = calls();
            this.threadId = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(schedulerThread))
                    .findFirst().orElseThrow().getId();
            this.startCpu = java.lang.management.ManagementFactory.getThreadMXBean().getThreadCpuTime(threadId);
        }

        String report() {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            Map<String, Long> now = calls();
            StringBuilder out = new StringBuilder();
            for (String c : List.of("set", "hset", "hgetall", "mget", "eval")) {
                out.append(String.format("%s %.1f/s, ", c, (now.getOrDefault(c, 0L) - startCalls.getOrDefault(c, 0L)) / seconds));
            }
            long cpu = java.lang.management.ManagementFactory.getThreadMXBean().getThreadCpuTime(threadId) - startCpu;
            return out + String.format("bridge scheduler thread CPU %.2f ms/s", cpu / 1e6 / seconds);
        }

        private static Map<String, Long> calls() {
            io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(TestInfra.redis().url());
            try (var c = client.connect()) {
                Map<String, Long> out = new HashMap<>();
                for (String line : c.sync().info("commandstats").split("\r?\n")) {
                    // cmdstat_hgetall:calls=12,usec=...
                    if (line.startsWith("cmdstat_")) {
                        String name = line.substring("cmdstat_".length(), line.indexOf(':'));
                        String calls = line.substring(line.indexOf("calls=") + 6, line.indexOf(',', line.indexOf("calls=")));
                        out.put(name, Long.parseLong(calls));
                    }
                }
                return out;
            } finally {
                client.shutdown();
            }
        }
    }

    /**
     * From now, over {@code window}: the updates of {@code symbol} at {@code client} come without a seq twice or
     * backwards, and with no gap (the time since the last one included) longer than {@link #MAX_SILENCE_MS}.
     */
    private static void assertFlowsWithoutLongSilence(WsClient client, String symbol, Duration window, String where)
            throws InterruptedException {
        Arrivals arrivals = new Arrivals(symbol);
        long from = System.nanoTime();
        arrivals.collect(client, window);
        long silence = arrivals.longestSilenceMsAfter(from);
        long tail = arrivals.at.isEmpty() ? Long.MAX_VALUE
                : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - arrivals.at.get(arrivals.at.size() - 1));
        System.out.printf("%s: longest silence of %s %d ms, %d ms since the last update, %d updates%n", where, symbol, silence,
                tail, arrivals.seqs.size());
        assertThat(arrivals.seqs).as("no seq twice, none backwards").doesNotHaveDuplicates().isSorted();
        assertThat(Math.max(silence, tail)).as("longest silence at " + where + " (ms)").isLessThanOrEqualTo(MAX_SILENCE_MS);
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -" + signal + " " + pid).isTrue();
    }

    private static Map<String, String> childEnv(String edgeId, String group) {
        Map<String, String> env = new HashMap<>();
        env.put("EDGE_PORT", "0");
        env.put("EDGE_ID", edgeId);
        env.put("KAFKA_BOOTSTRAP_SERVERS", TestInfra.kafka().bootstrapServers());
        env.put("REDIS_URL", TestInfra.redis().url());
        env.put("EDGE_CONSUMER_GROUP", group);
        env.put("SHUTDOWN_GRACE_MS", "500");
        env.put("SYMBOL_UNIVERSE_CHECK", "false");
        return env;
    }

    private static Set<Integer> partitionsNotOwnedBy(TestEdge b) {
        Set<Integer> owned = TestInfra.partitionsOwnedBy(b);
        Set<Integer> others = new HashSet<>();
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

    /** The seqs of one symbol as they reach a client, with when each arrived. */
    private static final class Arrivals {
        private final String symbol;
        final List<Long> seqs = new ArrayList<>();
        final List<Long> at = new ArrayList<>();

        Arrivals(String symbol) {
            this.symbol = symbol;
        }

        void collect(WsClient c, Duration window) throws InterruptedException {
            long deadline = System.nanoTime() + window.toNanos();
            while (System.nanoTime() < deadline) {
                take(c);
            }
        }

        void collectUntil(WsClient c, long seq, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while ((seqs.isEmpty() || seqs.get(seqs.size() - 1) < seq) && System.nanoTime() < deadline) {
                take(c);
            }
        }

        private void take(WsClient c) throws InterruptedException {
            JsonNode m = c.messages.poll(20, TimeUnit.MILLISECONDS);
            if (m == null) {
                return;
            }
            long now = System.nanoTime();
            if ("price_update".equals(m.path("type").asText()) && symbol.equals(m.path("symbol").asText())) {
                add(m.path("data").path("seq").asLong(), now);
            }
            if ("batch_update".equals(m.path("type").asText())) {
                for (JsonNode u : m.path("updates")) {
                    if (symbol.equals(u.path("symbol").asText())) {
                        add(u.path("data").path("seq").asLong(), now);
                    }
                }
            }
        }

        private void add(long seq, long now) {
            seqs.add(seq);
            at.add(now);
        }

        /** The longest time without an update from {@code from} until the last arrival. */
        long longestSilenceMsAfter(long from) {
            long longest = 0;
            long previous = from;
            for (long t : at) {
                if (t < from) {
                    continue;
                }
                longest = Math.max(longest, t - previous);
                previous = t;
            }
            return TimeUnit.NANOSECONDS.toMillis(longest);
        }
    }

    /** Quotes of one symbol into quotes.latest every {@link #FEED_PERIOD}. */
    private static final class Feed {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong lastSeq = new AtomicLong();
        private volatile StockQuote last;
        private final Thread thread;

        Feed(String symbol) {
            thread = new Thread(() -> {
                double price = 20;
                while (running.get()) {
                    last = TestInfra.publish(symbol, price++);
                    lastSeq.set(last.seq());
                    try {
                        Thread.sleep(FEED_PERIOD.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "feed-" + symbol);
            thread.setDaemon(true);
            thread.start();
        }

        StockQuote stop() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
            return last;
        }
    }
}

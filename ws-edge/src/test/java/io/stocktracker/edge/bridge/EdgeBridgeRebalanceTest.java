package io.stocktracker.edge.bridge;

import static io.stocktracker.edge.bridge.BridgeFixtures.quote;
import static io.stocktracker.edge.bridge.BridgeFixtures.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stocktracker.infra.EmbeddedKafka;
import io.stocktracker.infra.EmbeddedRedis;
import io.stocktracker.schemas.contract.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two edges in one consumer group: each relays its share, both deliver everything, one takes over from the other. */
class EdgeBridgeRebalanceTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int SYMBOLS = 12;
    private static final long LAST_SEQ = 40;

    private static EmbeddedKafka kafka;
    private static EmbeddedRedis redis;
    private static KafkaProducer<String, String> producer;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
        redis = EmbeddedRedis.start();
        BridgeFixtures.createQuotesLatest(kafka.bootstrapServers(), Topics.QUOTES_LATEST);
        producer = BridgeFixtures.producer(kafka.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        BridgeFixtures.closeAll(producer, redis, kafka);
    }

    private static EdgeBridge edge(String id, BridgeFixtures.Recorder recorder, SimpleMeterRegistry registry) {
        BridgeConfig config = BridgeFixtures.config(kafka.bootstrapServers(), redis.url(), id, Map.of("EDGE_CONSUMER_GROUP", "g-pair"));
        return EdgeBridge.start(config, new LatestValueCache(), recorder, recorder, registry);
    }

    private static double published(SimpleMeterRegistry registry) {
        return registry.get("edge.redis.published").counter().count();
    }

    @Test
    void twoEdgesSplitThePartitionsBothDeliverEveryUpdateAndOneTakesOverWhenTheOtherStops() throws Exception {
        var recorderA = new BridgeFixtures.Recorder();
        var recorderB = new BridgeFixtures.Recorder();
        var metricsA = new SimpleMeterRegistry();
        var metricsB = new SimpleMeterRegistry();
        EdgeBridge a = edge("edge-a", recorderA, metricsA);
        EdgeBridge b = edge("edge-b", recorderB, metricsB);
        try {
            await().atMost(WAIT).until(() -> a.ready() && b.ready() && !a.assignment().isEmpty() && !b.assignment().isEmpty()
                    && a.assignment().size() + b.assignment().size() == Topics.DEFAULT_PARTITIONS);
            Set<TopicPartition> all = new HashSet<>(a.assignment());
            all.addAll(b.assignment());
            assertThat(all).as("disjoint shares covering every partition").hasSize(Topics.DEFAULT_PARTITIONS);

            List<String> symbols = new ArrayList<>();
            for (int i = 0; i < SYMBOLS; i++) {
                symbols.add("SYM" + i);
                send(producer, Topics.QUOTES_LATEST, quote("SYM" + i, 1, 10 + i));
            }
            await().atMost(WAIT).until(() -> symbols.stream().allMatch(s -> recorderA.has(s, 1) && recorderB.has(s, 1)));
            assertThat(published(metricsA)).as("edge A relayed its share").isPositive();
            assertThat(published(metricsB)).as("edge B relayed its share").isPositive();
            // at least once toward Redis: until B's first relay heartbeat names it, A also relays what it handed to B
            // (RelayTakeover: a new owner may not reach Redis yet); the listeners above got each seq once
            assertThat(published(metricsA) + published(metricsB)).isGreaterThanOrEqualTo(SYMBOLS);

            // keep producing while A leaves: its partitions move to B mid-stream
            CountDownLatch halfway = new CountDownLatch(1);
            CompletableFuture<Void> feed = CompletableFuture.runAsync(() -> {
                for (long seq = 2; seq <= LAST_SEQ; seq++) {
                    for (String s : symbols) {
                        send(producer, Topics.QUOTES_LATEST, quote(s, seq, 10 + seq));
                    }
                    if (seq == LAST_SEQ / 3) {
                        halfway.countDown();
                    }
                }
            });
            assertThat(halfway.await(60, TimeUnit.SECONDS)).isTrue();
            a.close();
            assertThat(a.kafkaAssigned()).isFalse();
            feed.get(120, TimeUnit.SECONDS);

            await().atMost(WAIT).until(() -> b.assignment().size() == Topics.DEFAULT_PARTITIONS);
            await().atMost(WAIT).until(() -> symbols.stream().allMatch(s -> recorderB.has(s, LAST_SEQ)));
            List<Long> expected = LongStream.rangeClosed(1, LAST_SEQ).boxed().toList();
            for (String s : symbols) {
                assertThat(recorderB.seqsOf(s)).as("every update of %s, once, in order, across the handover", s)
                        .isEqualTo(expected);
            }
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void theRelayResumesAfterTheBrokerRestarts() {
        var recorder = new BridgeFixtures.Recorder();
        BridgeConfig config = BridgeFixtures.config(kafka.bootstrapServers(), redis.url(), "edge-restart", Map.of("EDGE_CONSUMER_GROUP", "g-restart"));
        String topic = "quotes.latest.restart"; // its own topic: the other test counts what is published on quotes.latest
        BridgeFixtures.createQuotesLatest(kafka.bootstrapServers(), topic);
        try (EdgeBridge bridge = EdgeBridge.start(config, new LatestValueCache(), recorder, recorder, new SimpleMeterRegistry(),
                topic, EdgeBridge.MISSING_TOPIC_GRACE)) {
            await().atMost(WAIT).until(bridge::ready);
            send(producer, topic, quote("RESTART", 1, 1));
            await().atMost(WAIT).until(() -> recorder.has("RESTART", 1));

            kafka.stop();
            kafka.restart(); // same port, same data
            send(producer, topic, quote("RESTART", 2, 2));
            await().atMost(WAIT).until(() -> recorder.has("RESTART", 2));
            assertThat(recorder.seqsOf("RESTART")).containsExactly(1L, 2L);
            assertThat(bridge.ready()).isTrue();
        }
    }
}

package io.stocktracker.kit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stocktracker.infra.EmbeddedKafka;
import io.stocktracker.infra.TopicAdmin;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TopicFollowerTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    static EmbeddedKafka kafka;
    static KafkaProducer<String, String> producer;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void stop() {
        producer.close(Duration.ofSeconds(5));
        kafka.close();
    }

    /** Records the values it reads, how many it had read when caught up, and the thread it ran on. */
    static class Recorder implements TopicFollower.Listener {
        final List<String> values = new CopyOnWriteArrayList<>();
        final AtomicInteger readWhenCaughtUp = new AtomicInteger(-1);
        final AtomicReference<Boolean> topicsMissing = new AtomicReference<>();
        final AtomicInteger caughtUpCalls = new AtomicInteger();
        final AtomicReference<Thread> thread = new AtomicReference<>();

        @Override
        public void record(ConsumerRecord<byte[], byte[]> record) {
            values.add(new String(record.value(), StandardCharsets.UTF_8));
        }

        @Override
        public void caughtUp(boolean missing) {
            readWhenCaughtUp.set(values.size());
            topicsMissing.set(missing);
            caughtUpCalls.incrementAndGet();
        }

        @Override
        public void polled() {
            thread.set(Thread.currentThread());
        }
    }

    private static void create(String topic, int partitions) {
        assertThat(TopicAdmin.ensureTopics(kafka.bootstrapServers(), Map.of(topic, Map.of()), partitions)).contains(topic);
    }

    private static void send(String topic, int from, int count) throws Exception {
        for (int i = from; i < from + count; i++) {
            producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get();
        }
    }

    private static Properties props(String name) {
        return GrouplessConsumer.properties(kafka.bootstrapServers(), name);
    }

    @Test
    void isCaughtUpOnceItHasReadWhatWasThereAtStartThenFollowsNewRecords() throws Exception {
        create("follow.existing", 3);
        send("follow.existing", 0, 30);
        Recorder recorder = new Recorder();
        try (TopicFollower follower = TopicFollower.reading(props("t1"), List.of("follow.existing"), "t1").build(recorder)) {
            follower.start();
            await().atMost(WAIT).until(follower::caughtUp);
            assertThat(recorder.readWhenCaughtUp.get()).isEqualTo(30);
            assertThat(recorder.topicsMissing.get()).isFalse();

            send("follow.existing", 30, 5);
            await().atMost(WAIT).until(() -> recorder.values.size() == 35);
            assertThat(recorder.values).contains("v0", "v29", "v34");
            assertThat(recorder.caughtUpCalls.get()).isEqualTo(1);
        }
    }

    @Test
    void stopsPromptlyWhenClosedAndClosesItsConsumer() throws Exception {
        create("follow.stop", 1);
        Recorder recorder = new Recorder();
        TopicFollower follower = TopicFollower.reading(props("t2"), List.of("follow.stop"), "t2").build(recorder);
        follower.start();
        await().atMost(WAIT).until(() -> recorder.thread.get() != null);

        follower.close();

        assertThat(recorder.thread.get().isAlive()).isFalse();
    }

    @Test
    void untilCaughtUpEndsItsRunAtTheEndOffsetsTakenAtStart() throws Exception {
        create("follow.once", 2);
        send("follow.once", 0, 12);
        Recorder recorder = new Recorder();
        try (TopicFollower follower = TopicFollower.reading(props("t3"), List.of("follow.once"), "t3").untilCaughtUp().build(recorder)) {
            follower.run(); // returns only once caught up: nothing else ends it here
            assertThat(follower.caughtUp()).isTrue();
            assertThat(recorder.readWhenCaughtUp.get()).isEqualTo(12);
        }
    }

    @Test
    void waitsForATopicCreatedLateWithoutCountingItEmpty() throws Exception {
        Recorder recorder = new Recorder();
        try (TopicFollower follower = TopicFollower.reading(props("t4"), List.of("follow.late"), "t4").build(recorder)) {
            follower.start();
            assertThat(follower.caughtUp()).isFalse();
            create("follow.late", 2);
            send("follow.late", 0, 4);
            await().atMost(WAIT).until(() -> recorder.values.size() == 4);
            assertThat(recorder.topicsMissing.get()).isFalse();
            assertThat(recorder.caughtUpCalls.get()).isEqualTo(1);
        }
    }

    @Test
    void aTopicMissingPastTheGraceCountsAsEmptyAndIsReadOnceItAppears() throws Exception {
        Recorder recorder = new Recorder();
        try (TopicFollower follower = TopicFollower.reading(props("t5"), List.of("follow.grace"), "t5")
                .missingTopicGrace(Duration.ofMillis(500)).build(recorder)) {
            follower.start();
            await().atMost(WAIT).until(follower::caughtUp);
            assertThat(recorder.topicsMissing.get()).isTrue();
            assertThat(recorder.values).isEmpty();

            create("follow.grace", 1);
            send("follow.grace", 0, 3);
            await().atMost(WAIT).until(() -> recorder.values.size() == 3);
            assertThat(recorder.caughtUpCalls.get()).isEqualTo(1);
        }
    }

    @Test
    void readsEveryTopicItIsGivenAndIsCaughtUpOnlyOnceAllExist() throws Exception {
        create("follow.a", 1);
        send("follow.a", 0, 2);
        Recorder recorder = new Recorder();
        try (TopicFollower follower = TopicFollower.reading(props("t6"), List.of("follow.a", "follow.b"), "t6").build(recorder)) {
            follower.start();
            create("follow.b", 1);
            send("follow.b", 2, 3);
            await().atMost(WAIT).until(() -> recorder.values.size() == 5);
            assertThat(follower.caughtUp()).isTrue();
        }
    }

    @Test
    void startsAtTheFirstRecordStampedAtOrAfterTheGivenTime() throws Exception {
        create("follow.time", 1);
        long base = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        for (int i = 0; i < 5; i++) {
            producer.send(new ProducerRecord<>("follow.time", 0, base + i * 1000, "k" + i, "v" + i)).get();
        }
        Recorder recorder = new Recorder();
        Instant from = Instant.ofEpochMilli(base + 2500);
        try (TopicFollower follower = TopicFollower.reading(props("t7"), List.of("follow.time"), "t7")
                .from((consumer, partitions) -> StartPosition.seekToTime(consumer, partitions, from))
                .untilCaughtUp().build(recorder)) {
            follower.run();
            assertThat(recorder.values).containsExactly("v3", "v4");
        }
    }

    @Test
    void startsOverFromTheStartPositionAfterAFailureWhenAskedTo() throws Exception {
        create("follow.retry", 1);
        send("follow.retry", 0, 3);
        AtomicInteger failures = new AtomicInteger();
        Recorder recorder = new Recorder() {
            @Override
            public void record(ConsumerRecord<byte[], byte[]> record) {
                if (failures.getAndIncrement() == 0) {
                    throw new IllegalStateException("first record fails once");
                }
                super.record(record);
            }
        };
        try (TopicFollower follower = TopicFollower.reading(props("t8"), List.of("follow.retry"), "t8")
                .startOverAfterFailure().untilCaughtUp().build(recorder)) {
            follower.run();
            assertThat(recorder.values).containsExactly("v0", "v1", "v2");
        }
    }
}

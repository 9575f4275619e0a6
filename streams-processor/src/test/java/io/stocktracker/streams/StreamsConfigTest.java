package io.stocktracker.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

class StreamsConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        StreamsConfig c = StreamsConfig.defaults();
        assertThat(c.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(c.applicationId()).isEqualTo("streams-processor");
        assertThat(c.processingGuarantee()).isEqualTo(ProcessingGuarantee.EXACTLY_ONCE_V2);
        assertThat(c.exchangeZone()).isEqualTo(ZoneId.of("America/New_York"));
        assertThat(c.barGrace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.httpPort()).isEqualTo(8082);
        assertThat(c.numStreamThreads()).isEqualTo(1);
        assertThat(c.topicPartitions()).isEqualTo(6);
        assertThat(c.replicationFactor()).isEqualTo((short) -1);
        assertThat(c.commitInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(c.groupInstanceId()).isNull();
        assertThat(c.symbolIdleRetention()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void symbolIdleRetentionIsAnIsoDurationOfAtLeastASecond() {
        assertThat(StreamsConfig.fromEnv(Map.of("SYMBOL_IDLE_RETENTION", "PT36H")).symbolIdleRetention()).isEqualTo(Duration.ofHours(36));
        assertThatThrownBy(() -> StreamsConfig.fromEnv(Map.of("SYMBOL_IDLE_RETENTION", "7 days")))
                .hasMessageContaining("SYMBOL_IDLE_RETENTION must be an ISO-8601 duration");
        assertThatThrownBy(() -> StreamsConfig.fromEnv(Map.of("SYMBOL_IDLE_RETENTION", "PT0.5S")))
                .hasMessageContaining("SYMBOL_IDLE_RETENTION must be at least PT1S");
    }

    @Test
    void readsEveryVariableFromTheEnvironment() {
        StreamsConfig c = StreamsConfig.fromEnv(Map.ofEntries(
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", "k1:9092,k2:9092"),
                Map.entry("APPLICATION_ID", "streams-test"),
                Map.entry("PROCESSING_GUARANTEE", "AT_LEAST_ONCE"),
                Map.entry("EXCHANGE_TIME_ZONE", "Asia/Kolkata"),
                Map.entry("BAR_GRACE_MS", "2500"),
                Map.entry("STREAMS_HTTP_PORT", "0"),
                Map.entry("STATE_DIR", "/var/lib/streams"),
                Map.entry("NUM_STREAM_THREADS", "3"),
                Map.entry("TOPIC_PARTITIONS", "12"),
                Map.entry("REPLICATION_FACTOR", "3"),
                Map.entry("COMMIT_INTERVAL_MS", "50"),
                Map.entry("STATESTORE_CACHE_MAX_BYTES", "0"),
                Map.entry("MAX_FUTURE_SKEW_MS", "1000"),
                Map.entry("PRODUCER_LINGER_MS", "0"),
                Map.entry("GROUP_INSTANCE_ID", "streams-0"),
                Map.entry("UNRELATED", "ignored")));
        assertThat(c.bootstrapServers()).isEqualTo("k1:9092,k2:9092");
        assertThat(c.processingGuarantee()).isEqualTo(ProcessingGuarantee.AT_LEAST_ONCE);
        assertThat(c.exchangeZone()).isEqualTo(ZoneId.of("Asia/Kolkata"));
        assertThat(c.barGrace()).isEqualTo(Duration.ofMillis(2500));
        assertThat(c.httpPort()).isZero();
        assertThat(c.stateDir()).isEqualTo(Path.of("/var/lib/streams"));
        assertThat(c.numStreamThreads()).isEqualTo(3);
        assertThat(c.topicPartitions()).isEqualTo(12);
        assertThat(c.replicationFactor()).isEqualTo((short) 3);

        Properties p = c.kafkaStreamsProperties();
        assertThat(p).containsEntry("application.id", "streams-test")
                .containsEntry("bootstrap.servers", "k1:9092,k2:9092")
                .containsEntry("processing.guarantee", "at_least_once")
                .containsEntry("state.dir", "/var/lib/streams")
                .containsEntry("num.stream.threads", 3)
                .containsEntry("commit.interval.ms", 50L)
                .containsEntry("statestore.cache.max.bytes", 0L)
                .containsEntry("replication.factor", 3)
                .containsEntry("producer.linger.ms", 0L)
                .containsEntry("consumer." + ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "streams-0");
    }

    @Test
    void blankValuesFallBackToTheDefault() {
        assertThat(StreamsConfig.fromEnv(Map.of("STREAMS_HTTP_PORT", "  ")).httpPort()).isEqualTo(8082);
    }

    @Test
    void everyProblemIsReportedAtOnceWithTheVariableName() {
        assertThatThrownBy(() -> StreamsConfig.fromEnv(Map.of(
                "PROCESSING_GUARANTEE", "exactly_once",
                "EXCHANGE_TIME_ZONE", "Mars/Olympus",
                "BAR_GRACE_MS", "soon",
                "STREAMS_HTTP_PORT", "70000",
                "NUM_STREAM_THREADS", "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PROCESSING_GUARANTEE: must be one of exactly_once_v2, at_least_once (was 'exactly_once')")
                .hasMessageContaining("EXCHANGE_TIME_ZONE: Unknown time-zone ID: Mars/Olympus")
                .hasMessageContaining("BAR_GRACE_MS must be a whole number (was 'soon')")
                .hasMessageContaining("STREAMS_HTTP_PORT must be between 0 and 65535")
                .hasMessageContaining("NUM_STREAM_THREADS must be between 1 and");
        assertThatThrownBy(() -> StreamsConfig.fromEnv(Map.of("STREAMS_HTTP_PORT", "70000", "NUM_STREAM_THREADS", "0",
                "APPLICATION_ID", "bad id", "REPLICATION_FACTOR", "0", "COMMIT_INTERVAL_MS", "0")))
                .hasMessageContaining("STREAMS_HTTP_PORT must be between 0 and 65535")
                .hasMessageContaining("NUM_STREAM_THREADS must be between 1 and")
                .hasMessageContaining("APPLICATION_ID must be letters")
                .hasMessageContaining("REPLICATION_FACTOR must be >= 1, or -1")
                .hasMessageContaining("COMMIT_INTERVAL_MS must be between 1 and");
    }

    @Test
    void aMapOfOverridesChangesOnlyTheKeysItNames() {
        StreamsConfig c = StreamsConfig.fromEnv(Map.of("STREAMS_HTTP_PORT", "0", "PROCESSING_GUARANTEE", "at_least_once"));
        assertThat(c.httpPort()).isZero();
        assertThat(c.processingGuarantee()).isEqualTo(ProcessingGuarantee.AT_LEAST_ONCE);
        assertThat(c.applicationId()).isEqualTo("streams-processor");
    }

    @Test
    void theReadmeTableListsEveryVariableWithItsDefault() throws Exception {
        String readme = java.nio.file.Files.readString(Path.of("README.md"));
        StreamsConfig.KEYS.keys().forEach(key -> {
            String name = key.name();
            String dflt = key.defaultValue();
            String row = readme.lines().filter(l -> l.startsWith("| `" + name + "` |")).findFirst()
                    .orElseThrow(() -> new AssertionError(name + " missing from README.md"));
            if (name.equals(StreamsConfig.STATE_DIR)) {
                assertThat(row).contains("${java.io.tmpdir}/kafka-streams");
            } else if (dflt.isEmpty()) {
                assertThat(row).contains("(unset)");
            } else {
                assertThat(row).as(name).contains("| `" + dflt + "` |");
            }
        });
    }
}

package io.stocktracker.streams;

import io.stocktracker.kit.config.EnvKeys;
import io.stocktracker.kit.config.EnvReader;
import io.stocktracker.schemas.contract.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Everything the streams-processor can be told, read from environment variables by {@link #fromEnv} with the
 * declared keys of {@link #KEYS} (streams-processor/README.md lists the same table, checked by a test).
 *
 * <p>Not to be confused with Kafka's {@code org.apache.kafka.streams.StreamsConfig}: this record is
 * the service's own typed configuration; {@link #kafkaStreamsProperties()} translates it.
 */
public record StreamsConfig(
        String bootstrapServers,
        String applicationId,
        ProcessingGuarantee processingGuarantee,
        ZoneId exchangeZone,
        Duration barGrace,
        int httpPort,
        Path stateDir,
        int numStreamThreads,
        int topicPartitions,
        short replicationFactor,
        Duration commitInterval,
        long cacheMaxBytes,
        Duration maxFutureSkew,
        Duration producerLinger,
        String groupInstanceId,
        Duration symbolIdleRetention) {

    public static final String KAFKA_BOOTSTRAP_SERVERS = "KAFKA_BOOTSTRAP_SERVERS";
    public static final String APPLICATION_ID = "APPLICATION_ID";
    public static final String PROCESSING_GUARANTEE = "PROCESSING_GUARANTEE";
    public static final String EXCHANGE_TIME_ZONE = "EXCHANGE_TIME_ZONE";
    public static final String BAR_GRACE_MS = "BAR_GRACE_MS";
    public static final String STREAMS_HTTP_PORT = "STREAMS_HTTP_PORT";
    public static final String STATE_DIR = "STATE_DIR";
    public static final String NUM_STREAM_THREADS = "NUM_STREAM_THREADS";
    public static final String TOPIC_PARTITIONS = "TOPIC_PARTITIONS";
    public static final String REPLICATION_FACTOR = "REPLICATION_FACTOR";
    public static final String COMMIT_INTERVAL_MS = "COMMIT_INTERVAL_MS";
    public static final String STATESTORE_CACHE_MAX_BYTES = "STATESTORE_CACHE_MAX_BYTES";
    public static final String MAX_FUTURE_SKEW_MS = "MAX_FUTURE_SKEW_MS";
    public static final String PRODUCER_LINGER_MS = "PRODUCER_LINGER_MS";
    public static final String GROUP_INSTANCE_ID = "GROUP_INSTANCE_ID";
    public static final String SYMBOL_IDLE_RETENTION = "SYMBOL_IDLE_RETENTION";

    /** Only a floor against nonsense (the eviction sweep runs at least every second); production wants days. */
    static final Duration MIN_IDLE_RETENTION = Duration.ofSeconds(1);

    private static final Pattern APPLICATION_ID_PATTERN = Pattern.compile("[A-Za-z0-9._-]+");

    /** Every variable this service reads, with its default, in the order the README lists them. */
    public static final EnvKeys KEYS = EnvKeys.of("streams-processor")
            .key(KAFKA_BOOTSTRAP_SERVERS, "localhost:9092", "Kafka brokers")
            .key(APPLICATION_ID, "streams-processor", "Kafka Streams application id: consumer group, prefix of internal topics, transactional ids")
            // exactly-once is the default: seq must have no duplicate and no gap across crashes; the cost
            // is about one commit interval of latency for read_committed readers (see docs/benchmarks)
            .key(PROCESSING_GUARANTEE, ProcessingGuarantee.EXACTLY_ONCE_V2.kafkaValue(), "or at_least_once")
            .key(EXCHANGE_TIME_ZONE, "America/New_York", "zone whose calendar day is the trading day (previousClose roll-over)")
            .key(BAR_GRACE_MS, "5000", "how long after a minute ends its bar still accepts late quotes")
            .key(STREAMS_HTTP_PORT, "8082", "/health, /ready and /metrics; 0 picks a free port")
            .key(STATE_DIR, Path.of(System.getProperty("java.io.tmpdir"), "kafka-streams").toString(), "local state (RocksDB)")
            .key(NUM_STREAM_THREADS, "1", "stream threads per instance")
            .key(TOPIC_PARTITIONS, String.valueOf(Topics.DEFAULT_PARTITIONS), "partitions of the topics this service creates")
            .key(REPLICATION_FACTOR, "-1", "replication of created and internal topics; -1 = broker default")
            .key(COMMIT_INTERVAL_MS, "100", "commit (and, under exactly-once, visibility) interval")
            // every store here writes through (each quote must see its predecessor at once): nothing to cache
            .key(STATESTORE_CACHE_MAX_BYTES, "0", "Kafka Streams record cache")
            .key(MAX_FUTURE_SKEW_MS, "60000", "a source timestamp further ahead of the processing clock is dead-lettered")
            .key(PRODUCER_LINGER_MS, "5", "producer batching delay (Kafka Streams would otherwise use 100 ms)")
            .key(GROUP_INSTANCE_ID, "", "static group membership")
            // a week: longer than any market closure (a weekend plus a holiday is 3-4 days), so the symbols people
            // watch keep their trading-day state (previousClose) and their quotes.latest entry across it
            .key(SYMBOL_IDLE_RETENTION, "P7D", "ISO-8601 duration: a symbol without an accepted quote for this long loses its state");

    /** The documented defaults. */
    public static StreamsConfig defaults() {
        return fromEnv(Map.of());
    }

    /** Reads the variables of {@link #KEYS} from {@code env}; every problem is reported at once. */
    public static StreamsConfig fromEnv(Map<String, String> env) {
        EnvReader r = KEYS.read(env);
        String applicationId = r.required(APPLICATION_ID);
        r.check(applicationId.isEmpty() || APPLICATION_ID_PATTERN.matcher(applicationId).matches(),
                APPLICATION_ID + " must be letters, digits, '.', '_' or '-', got '" + applicationId + "'");
        short replication = (short) r.integer(REPLICATION_FACTOR, -1, Short.MAX_VALUE);
        r.check(replication != 0, REPLICATION_FACTOR + " must be >= 1, or -1 for the broker default, got 0");
        StreamsConfig config = new StreamsConfig(
                r.required(KAFKA_BOOTSTRAP_SERVERS),
                applicationId,
                r.parsed(PROCESSING_GUARANTEE, ProcessingGuarantee::parse, ProcessingGuarantee.EXACTLY_ONCE_V2),
                r.parsed(EXCHANGE_TIME_ZONE, ZoneId::of, ZoneId.of("UTC")),
                r.millis(BAR_GRACE_MS, 0, Long.MAX_VALUE / 1_000_000),
                r.integer(STREAMS_HTTP_PORT, 0, 65535),
                Path.of(r.required(STATE_DIR)),
                r.integer(NUM_STREAM_THREADS, 1, 1024),
                r.integer(TOPIC_PARTITIONS, 1, 100_000),
                replication,
                r.millis(COMMIT_INTERVAL_MS, 1, Integer.MAX_VALUE),
                r.longValue(STATESTORE_CACHE_MAX_BYTES, 0, Long.MAX_VALUE),
                r.millis(MAX_FUTURE_SKEW_MS, 0, Long.MAX_VALUE / 1_000_000),
                r.millis(PRODUCER_LINGER_MS, 0, Integer.MAX_VALUE),
                r.optional(GROUP_INSTANCE_ID),
                r.duration(SYMBOL_IDLE_RETENTION, MIN_IDLE_RETENTION));
        r.done();
        return config;
    }

    /** The Kafka Streams client properties this configuration stands for. */
    public Properties kafkaStreamsProperties() {
        Properties p = new Properties();
        p.put(org.apache.kafka.streams.StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(org.apache.kafka.streams.StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(org.apache.kafka.streams.StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee.kafkaValue());
        p.put(org.apache.kafka.streams.StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        p.put(org.apache.kafka.streams.StreamsConfig.NUM_STREAM_THREADS_CONFIG, numStreamThreads);
        p.put(org.apache.kafka.streams.StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
        p.put(org.apache.kafka.streams.StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, cacheMaxBytes);
        p.put(org.apache.kafka.streams.StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor);
        // the future (Kafka 5) default, and it silences a start-up warning
        p.put(org.apache.kafka.streams.StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // Kafka Streams raises the producer's linger to 100 ms by default: too slow for live quotes
        p.put(org.apache.kafka.streams.StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), producerLinger.toMillis());
        // under exactly-once the first sends of a transaction meet CONCURRENT_TRANSACTIONS until the previous
        // commit's markers are written (a few ms); the default exponential backoff (100 ms up to 1 s) turns
        // that into hundreds of ms of latency (A/B in docs/benchmarks/streams-processor.md)
        p.put(org.apache.kafka.streams.StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 10);
        p.put(org.apache.kafka.streams.StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG), 100);
        if (groupInstanceId != null) {
            // static membership: a restarted instance takes its partitions back without a rebalance
            p.put(org.apache.kafka.streams.StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), groupInstanceId);
        }
        return p;
    }

    @Override
    public String toString() {
        return "StreamsConfig[bootstrap=" + bootstrapServers + ", applicationId=" + applicationId + ", guarantee="
                + processingGuarantee.kafkaValue() + ", zone=" + exchangeZone + ", barGrace=" + barGrace.toMillis() + "ms, httpPort="
                + httpPort + ", stateDir=" + stateDir + ", threads=" + numStreamThreads + ", partitions=" + topicPartitions
                + ", replication=" + replicationFactor + ", commit=" + commitInterval.toMillis() + "ms, cache=" + cacheMaxBytes
                + ", maxFutureSkew=" + maxFutureSkew.toMillis() + "ms, linger=" + producerLinger.toMillis() + "ms, symbolIdleRetention="
                + symbolIdleRetention
                + (groupInstanceId == null ? "" : ", groupInstanceId=" + Objects.toString(groupInstanceId)) + "]";
    }
}

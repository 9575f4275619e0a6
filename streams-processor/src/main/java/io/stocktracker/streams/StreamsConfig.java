package io.stocktracker.streams;

import io.stocktracker.schemas.contract.Topics;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Everything the streams-processor can be told, read from environment variables by {@link #fromEnv}.
 * The defaults below are the documented ones (streams-processor/README.md lists the same table, checked by a test).
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

    /** Environment variable -> default, in the order the docs list them ("" = unset). */
    public static final Map<String, String> DEFAULTS = defaultsTable();

    /** Only a floor against nonsense (the eviction sweep runs at least every second); production wants days. */
    static final Duration MIN_IDLE_RETENTION = Duration.ofSeconds(1);

    private static final Pattern APPLICATION_ID_PATTERN = Pattern.compile("[A-Za-z0-9._-]+");

    private static Map<String, String> defaultsTable() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put(KAFKA_BOOTSTRAP_SERVERS, "localhost:9092");
        d.put(APPLICATION_ID, "streams-processor");
        // exactly-once is the default: seq must have no duplicate and no gap across crashes; the cost
        // is about one commit interval of latency for read_committed readers (see docs/benchmarks)
        d.put(PROCESSING_GUARANTEE, ProcessingGuarantee.EXACTLY_ONCE_V2.kafkaValue());
        d.put(EXCHANGE_TIME_ZONE, "America/New_York");
        d.put(BAR_GRACE_MS, "5000");
        d.put(STREAMS_HTTP_PORT, "8082");
        d.put(STATE_DIR, Path.of(System.getProperty("java.io.tmpdir"), "kafka-streams").toString());
        d.put(NUM_STREAM_THREADS, "1");
        d.put(TOPIC_PARTITIONS, String.valueOf(Topics.DEFAULT_PARTITIONS));
        d.put(REPLICATION_FACTOR, "-1");
        d.put(COMMIT_INTERVAL_MS, "100");
        // every store here writes through (each quote must see its predecessor at once): nothing to cache
        d.put(STATESTORE_CACHE_MAX_BYTES, "0");
        d.put(MAX_FUTURE_SKEW_MS, "60000");
        d.put(PRODUCER_LINGER_MS, "5");
        d.put(GROUP_INSTANCE_ID, "");
        // a week: longer than any market closure (a weekend plus a holiday is 3-4 days), so the symbols people
        // watch keep their trading-day state (previousClose) and their quotes.latest entry across it
        d.put(SYMBOL_IDLE_RETENTION, "P7D");
        return java.util.Collections.unmodifiableMap(d);
    }

    public StreamsConfig {
        List<String> problems = new ArrayList<>();
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            problems.add(KAFKA_BOOTSTRAP_SERVERS + " must not be blank");
        }
        if (applicationId == null || !APPLICATION_ID_PATTERN.matcher(applicationId).matches()) {
            problems.add(APPLICATION_ID + " must be letters, digits, '.', '_' or '-', got '" + applicationId + "'");
        }
        if (processingGuarantee == null) {
            problems.add(PROCESSING_GUARANTEE + " must be set");
        }
        if (exchangeZone == null) {
            problems.add(EXCHANGE_TIME_ZONE + " must be set");
        }
        if (barGrace == null || barGrace.isNegative()) {
            problems.add(BAR_GRACE_MS + " must be >= 0");
        }
        if (httpPort < 0 || httpPort > 65535) {
            problems.add(STREAMS_HTTP_PORT + " must be 0..65535 (0 = any free port), got " + httpPort);
        }
        if (stateDir == null) {
            problems.add(STATE_DIR + " must be set");
        }
        if (numStreamThreads < 1) {
            problems.add(NUM_STREAM_THREADS + " must be >= 1, got " + numStreamThreads);
        }
        if (topicPartitions < 1) {
            problems.add(TOPIC_PARTITIONS + " must be >= 1, got " + topicPartitions);
        }
        if (replicationFactor == 0 || replicationFactor < -1) {
            problems.add(REPLICATION_FACTOR + " must be >= 1, or -1 for the broker default, got " + replicationFactor);
        }
        if (commitInterval == null || commitInterval.isNegative() || commitInterval.isZero()) {
            problems.add(COMMIT_INTERVAL_MS + " must be > 0");
        }
        if (cacheMaxBytes < 0) {
            problems.add(STATESTORE_CACHE_MAX_BYTES + " must be >= 0, got " + cacheMaxBytes);
        }
        if (maxFutureSkew == null || maxFutureSkew.isNegative()) {
            problems.add(MAX_FUTURE_SKEW_MS + " must be >= 0");
        }
        if (producerLinger == null || producerLinger.isNegative()) {
            problems.add(PRODUCER_LINGER_MS + " must be >= 0");
        }
        if (symbolIdleRetention == null || symbolIdleRetention.compareTo(MIN_IDLE_RETENTION) < 0) {
            problems.add(SYMBOL_IDLE_RETENTION + " must be at least " + MIN_IDLE_RETENTION + ", got " + symbolIdleRetention);
        }
        if (groupInstanceId != null && groupInstanceId.isBlank()) {
            groupInstanceId = null;
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid streams-processor configuration: " + String.join("; ", problems));
        }
    }

    /** The documented defaults. */
    public static StreamsConfig defaults() {
        return fromEnv(Map.of());
    }

    /** Reads the variables of {@link #DEFAULTS} from {@code env}; every problem is reported at once. */
    public static StreamsConfig fromEnv(Map<String, String> env) {
        Map<String, String> v = new LinkedHashMap<>(DEFAULTS);
        env.forEach((k, val) -> {
            if (DEFAULTS.containsKey(k) && val != null && !val.isBlank()) {
                v.put(k, val.trim());
            }
        });
        List<String> problems = new ArrayList<>();
        ProcessingGuarantee guarantee = parse(problems, v, PROCESSING_GUARANTEE, ProcessingGuarantee::parse);
        ZoneId zone = parse(problems, v, EXCHANGE_TIME_ZONE, s -> {
            try {
                return ZoneId.of(s);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException(EXCHANGE_TIME_ZONE + " is not a time zone id (e.g. America/New_York): '" + s + "'");
            }
        });
        Long grace = parse(problems, v, BAR_GRACE_MS, Long::parseLong);
        Integer port = parse(problems, v, STREAMS_HTTP_PORT, Integer::parseInt);
        Integer threads = parse(problems, v, NUM_STREAM_THREADS, Integer::parseInt);
        Integer partitions = parse(problems, v, TOPIC_PARTITIONS, Integer::parseInt);
        Short replication = parse(problems, v, REPLICATION_FACTOR, Short::parseShort);
        Long commit = parse(problems, v, COMMIT_INTERVAL_MS, Long::parseLong);
        Long cache = parse(problems, v, STATESTORE_CACHE_MAX_BYTES, Long::parseLong);
        Long skew = parse(problems, v, MAX_FUTURE_SKEW_MS, Long::parseLong);
        Long linger = parse(problems, v, PRODUCER_LINGER_MS, Long::parseLong);
        Duration idleRetention = parse(problems, v, SYMBOL_IDLE_RETENTION, s -> {
            try {
                return Duration.parse(s);
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException(SYMBOL_IDLE_RETENTION + " must be an ISO-8601 duration (e.g. P7D, PT12H), got '" + s + "'");
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid streams-processor configuration: " + String.join("; ", problems));
        }
        return new StreamsConfig(v.get(KAFKA_BOOTSTRAP_SERVERS), v.get(APPLICATION_ID), guarantee, zone,
                Duration.ofMillis(grace), port, Path.of(v.get(STATE_DIR)), threads, partitions, replication,
                Duration.ofMillis(commit), cache, Duration.ofMillis(skew), Duration.ofMillis(linger),
                v.get(GROUP_INSTANCE_ID), idleRetention);
    }

    private static <T> T parse(List<String> problems, Map<String, String> values, String key, Function<String, T> parser) {
        String text = values.get(key);
        try {
            return parser.apply(text);
        } catch (NumberFormatException e) {
            problems.add(key + " must be a whole number, got '" + text + "'");
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        return null;
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

    public StreamsConfig withBootstrapServers(String v) {
        return new StreamsConfig(v, applicationId, processingGuarantee, exchangeZone, barGrace, httpPort, stateDir, numStreamThreads,
                topicPartitions, replicationFactor, commitInterval, cacheMaxBytes, maxFutureSkew, producerLinger, groupInstanceId, symbolIdleRetention);
    }

    public StreamsConfig withApplicationId(String v) {
        return new StreamsConfig(bootstrapServers, v, processingGuarantee, exchangeZone, barGrace, httpPort, stateDir, numStreamThreads,
                topicPartitions, replicationFactor, commitInterval, cacheMaxBytes, maxFutureSkew, producerLinger, groupInstanceId, symbolIdleRetention);
    }

    public StreamsConfig withProcessingGuarantee(ProcessingGuarantee v) {
        return new StreamsConfig(bootstrapServers, applicationId, v, exchangeZone, barGrace, httpPort, stateDir, numStreamThreads,
                topicPartitions, replicationFactor, commitInterval, cacheMaxBytes, maxFutureSkew, producerLinger, groupInstanceId, symbolIdleRetention);
    }

    public StreamsConfig withExchangeZone(ZoneId v) {
        return new StreamsConfig(bootstrapServers, applicationId, processingGuarantee, v, barGrace, httpPort, stateDir, numStreamThreads,
                topicPartitions, replicationFactor, commitInterval, cacheMaxBytes, maxFutureSkew, producerLinger, groupInstanceId, symbolIdleRetention);
    }

    public StreamsConfig withBarGrace(Duration v) {
        return new StreamsConfig(bootstrapServers, applicationId, processingGuarantee, exchangeZone, v, httpPort, stateDir, numStreamThreads,
                topicPartitions, replicationFactor, commitInterval, cacheMaxBytes, maxFutureSkew, producerLinger, groupInstanceId, symbolIdleRetention);
    }

    public StreamsConfig withHttpPort(int v) {
        return new StreamsConfig(bootstrapServers, applicationId, processingGuarantee, exchangeZone, barGrace, v, stateDir, numStreamThreads,
                topicPartitions, replicationFactor, commitInterval, cacheMaxBytes, maxFutureSkew, producerLinger, groupInstanceId, symbolIdleRetention);
    }

    public StreamsConfig withStateDir(Path v) {
        return new StreamsConfig(bootstrapServers, applicationId, processingGuarantee, exchangeZone, barGrace, httpPort, v, numStreamThreads,
                topicPartitions, replicationFactor, commitInterval, cacheMaxBytes, maxFutureSkew, producerLinger, groupInstanceId, symbolIdleRetention);
    }

    public StreamsConfig withNumStreamThreads(int v) {
        return new StreamsConfig(bootstrapServers, applicationId, processingGuarantee, exchangeZone, barGrace, httpPort, stateDir, v,
                topicPartitions, replicationFactor, commitInterval, cacheMaxBytes, maxFutureSkew, producerLinger, groupInstanceId, symbolIdleRetention);
    }

    public StreamsConfig withTopicPartitions(int v) {
        return new StreamsConfig(bootstrapServers, applicationId, processingGuarantee, exchangeZone, barGrace, httpPort, stateDir, numStreamThreads,
                v, replicationFactor, commitInterval, cacheMaxBytes, maxFutureSkew, producerLinger, groupInstanceId, symbolIdleRetention);
    }

    public StreamsConfig withCommitInterval(Duration v) {
        return new StreamsConfig(bootstrapServers, applicationId, processingGuarantee, exchangeZone, barGrace, httpPort, stateDir, numStreamThreads,
                topicPartitions, replicationFactor, v, cacheMaxBytes, maxFutureSkew, producerLinger, groupInstanceId, symbolIdleRetention);
    }

    public StreamsConfig withCacheMaxBytes(long v) {
        return new StreamsConfig(bootstrapServers, applicationId, processingGuarantee, exchangeZone, barGrace, httpPort, stateDir, numStreamThreads,
                topicPartitions, replicationFactor, commitInterval, v, maxFutureSkew, producerLinger, groupInstanceId, symbolIdleRetention);
    }

    public StreamsConfig withMaxFutureSkew(Duration v) {
        return new StreamsConfig(bootstrapServers, applicationId, processingGuarantee, exchangeZone, barGrace, httpPort, stateDir, numStreamThreads,
                topicPartitions, replicationFactor, commitInterval, cacheMaxBytes, v, producerLinger, groupInstanceId, symbolIdleRetention);
    }

    public StreamsConfig withGroupInstanceId(String v) {
        return new StreamsConfig(bootstrapServers, applicationId, processingGuarantee, exchangeZone, barGrace, httpPort, stateDir, numStreamThreads,
                topicPartitions, replicationFactor, commitInterval, cacheMaxBytes, maxFutureSkew, producerLinger, v, symbolIdleRetention);
    }

    public StreamsConfig withSymbolIdleRetention(Duration v) {
        return new StreamsConfig(bootstrapServers, applicationId, processingGuarantee, exchangeZone, barGrace, httpPort, stateDir, numStreamThreads,
                topicPartitions, replicationFactor, commitInterval, cacheMaxBytes, maxFutureSkew, producerLinger, groupInstanceId, v);
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

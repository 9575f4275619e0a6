package io.stocktracker.infra;

import java.util.Map;
import java.util.Optional;

/**
 * Where the infrastructure comes from. {@code KAFKA_BOOTSTRAP_SERVERS} / {@code REDIS_URL} set means
 * use those servers and start nothing; otherwise a real broker (a Testcontainers Kafka where Docker
 * runs, the in-process KRaft broker elsewhere) and a real redis-server are started here.
 */
public final class Infra {
    public static final String KAFKA_ENV = "KAFKA_BOOTSTRAP_SERVERS";
    public static final String REDIS_ENV = "REDIS_URL";

    /** The external Kafka if the env names one, else a started broker. */
    public static KafkaCluster kafka() {
        return kafka(System.getenv());
    }

    public static KafkaCluster kafka(Map<String, String> env) {
        return externalKafka(env).orElseGet(() -> DockerKafka.available() ? DockerKafka.start() : EmbeddedKafka.start());
    }

    public static Optional<KafkaCluster> externalKafka() {
        return externalKafka(System.getenv());
    }

    public static Optional<KafkaCluster> externalKafka(Map<String, String> env) {
        return value(env, KAFKA_ENV).map(ExternalKafka::new);
    }

    public static Optional<String> externalRedisUrl() {
        return externalRedisUrl(System.getenv());
    }

    public static Optional<String> externalRedisUrl(Map<String, String> env) {
        return value(env, REDIS_ENV);
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    private record ExternalKafka(String bootstrapServers) implements KafkaCluster {
        @Override
        public boolean managed() {
            return false;
        }

        @Override
        public void close() {
        }
    }

    private Infra() {}
}

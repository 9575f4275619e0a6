package io.stocktracker.infra;

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
        return externalKafka().orElseGet(() -> DockerKafka.available() ? DockerKafka.start() : EmbeddedKafka.start());
    }

    public static Optional<KafkaCluster> externalKafka() {
        return env(KAFKA_ENV).map(ExternalKafka::new);
    }

    public static Optional<String> externalRedisUrl() {
        return env(REDIS_ENV);
    }

    private static Optional<String> env(String name) {
        String v = System.getenv(name);
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

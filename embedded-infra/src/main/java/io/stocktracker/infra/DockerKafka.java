package io.stocktracker.infra;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/** The same broker role backed by Testcontainers' Apache Kafka image, where a Docker engine runs. */
final class DockerKafka implements KafkaCluster {
    // the same broker version as the client libraries and docker-compose.yml
    static final String IMAGE = "apache/kafka:4.4.0";

    private final KafkaContainer container;

    private DockerKafka(KafkaContainer container) {
        this.container = container;
    }

    static boolean available() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    static DockerKafka start() {
        KafkaContainer container = new KafkaContainer(IMAGE);
        container.start();
        return new DockerKafka(container);
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public boolean managed() {
        return false;
    }

    @Override
    public void close() {
        container.stop();
    }
}

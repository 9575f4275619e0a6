package io.stocktracker.infra;

/** A Kafka cluster a test or the launcher talks to: embedded, a container, or an external one. */
public interface KafkaCluster extends AutoCloseable {
    String bootstrapServers();

    /** True when this process started the broker (and so may stop and restart it). */
    boolean managed();

    @Override
    void close();
}

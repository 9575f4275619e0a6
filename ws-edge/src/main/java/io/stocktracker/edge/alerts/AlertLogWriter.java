package io.stocktracker.edge.alerts;

import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Topics;
import io.stocktracker.schemas.model.AlertDefinition;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** What an edge writes for its users: alert definitions and their tombstones, and the tombstone of an acknowledged fired alert. */
final class AlertLogWriter implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;

    AlertLogWriter(String bootstrapServers, String edgeId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "ws-edge-" + edgeId + "-alerts");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // a user waits for the answer: fail within seconds rather than the default two minutes
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.producer = new KafkaProducer<>(p);
    }

    CompletableFuture<Void> define(AlertDefinition definition) {
        return send(Topics.ALERTS_DEFINITIONS, AlertDefinition.key(definition.user(), definition.alert().alertId()),
                JsonCodec.toBytes(definition));
    }

    CompletableFuture<Void> delete(String user, String alertId) {
        return send(Topics.ALERTS_DEFINITIONS, AlertDefinition.key(user, alertId), null);
    }

    CompletableFuture<Void> acknowledge(String user, String alertId) {
        return send(Topics.ALERTS_FIRED, AlertDefinition.key(user, alertId), null);
    }

    private CompletableFuture<Void> send(String topic, String key, byte[] value) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value), (metadata, error) -> {
                if (error != null) {
                    done.completeExceptionally(error);
                } else {
                    done.complete(null);
                }
            });
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(2));
    }
}

package io.stocktracker.edge.alerts;

import io.stocktracker.kit.kafka.GrouplessConsumer;
import io.stocktracker.kit.kafka.TopicFollower;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Topics;
import io.stocktracker.schemas.model.AlertDefinition;
import io.stocktracker.schemas.model.AlertFired;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code alerts.definitions} and {@code alerts.fired} in full (no group: every edge needs every user's) into the
 * {@link UserAlertBook}, and follows them. Until it has read to the end offsets taken at start it relays nothing: an
 * alert that fired and was acknowledged long ago is still in the log before its tombstone, and must not reach anyone.
 */
final class AlertLogReader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AlertLogReader.class);

    private final String edgeId;
    private final UserAlertBook book;
    private final Consumer<AlertFired> onFired;
    private final Runnable onReady;
    private final TopicFollower follower;

    /**
     * @param onFired a fired alert read once the reader is ready (called on the reader's thread)
     * @param onReady the reader caught up: the pending alerts of connected users can go out
     */
    AlertLogReader(String bootstrapServers, String edgeId, UserAlertBook book, Consumer<AlertFired> onFired, Runnable onReady) {
        this.edgeId = edgeId;
        this.book = book;
        this.onFired = onFired;
        this.onReady = onReady;
        // no grace for a missing topic: ready over an empty log would relay fired alerts acknowledged long ago once it appears
        this.follower = TopicFollower.reading(GrouplessConsumer.properties(bootstrapServers, "ws-edge-" + edgeId + "-alerts"),
                        List.of(Topics.ALERTS_DEFINITIONS, Topics.ALERTS_FIRED), "edge-alerts-" + edgeId)
                .build(TopicFollower.Listener.of(this::apply, topicsMissing -> caughtUp()));
    }

    private void caughtUp() {
        log.info("edge {}: alerts read: {} users with pending alerts", edgeId, book.usersWithPending().size());
        onReady.run();
    }

    void start() {
        follower.start();
    }

    boolean ready() {
        return follower.caughtUp();
    }

    private void apply(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null) {
            return;
        }
        String key = new String(r.key(), StandardCharsets.UTF_8);
        try {
            if (Topics.ALERTS_DEFINITIONS.equals(r.topic())) {
                book.definition(key, r.value() == null ? null : JsonCodec.fromBytes(r.value(), AlertDefinition.class));
            } else {
                AlertFired fired = r.value() == null ? null : JsonCodec.fromBytes(r.value(), AlertFired.class);
                if (book.fired(key, fired) && follower.caughtUp()) {
                    onFired.accept(fired);
                }
            }
        } catch (RuntimeException e) {
            log.warn("edge {}: {} record {} ignored: {}", edgeId, r.topic(), key, e.getMessage());
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}

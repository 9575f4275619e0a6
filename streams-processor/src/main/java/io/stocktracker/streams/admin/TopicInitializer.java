package io.stocktracker.streams.admin;

import io.stocktracker.schemas.contract.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the quote topics ({@link Topics#configs()}) that do not exist yet; existing ones are left as
 * they are (a partition count that differs from the configured one is only reported: changing it
 * would move symbols between partitions and so between state owners).
 */
public final class TopicInitializer {
    private static final Logger log = LoggerFactory.getLogger(TopicInitializer.class);

    private TopicInitializer() {}

    /** Returns the topics it created. */
    public static List<String> ensureTopics(String bootstrapServers, int partitions, short replicationFactor, Duration timeout) {
        long timeoutMs = timeout.toMillis();
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.min(Integer.MAX_VALUE, timeoutMs)))) {
            Set<String> existing = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
            Optional<Short> replication = replicationFactor > 0 ? Optional.of(replicationFactor) : Optional.empty();
            List<NewTopic> missing = new ArrayList<>();
            Topics.configs().forEach((name, configs) -> {
                if (!existing.contains(name)) {
                    missing.add(new NewTopic(name, Optional.of(partitions), replication).configs(configs));
                }
            });
            List<String> created = new ArrayList<>();
            var result = admin.createTopics(missing);
            for (NewTopic topic : missing) {
                try {
                    result.values().get(topic.name()).get(timeoutMs, TimeUnit.MILLISECONDS);
                    created.add(topic.name());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create topic " + topic.name() + ": " + e.getCause().getMessage(), e.getCause());
                    }
                }
            }
            reportPartitionMismatch(admin, partitions, timeoutMs);
            if (!created.isEmpty()) {
                log.info("created topics {} with {} partitions", created, partitions);
            }
            return created;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not answer within " + timeoutMs
                    + " ms (is KAFKA_BOOTSTRAP_SERVERS right?)", e);
        }
    }

    /** Best effort: a topic created a moment ago may not be describable yet, which is no reason to fail the start. */
    private static void reportPartitionMismatch(Admin admin, int partitions, long timeoutMs) throws InterruptedException {
        Map<String, TopicDescription> described;
        try {
            described = admin.describeTopics(Topics.all()).allTopicNames().get(Math.min(timeoutMs, 10_000), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            log.debug("could not describe the quote topics to check their partition counts", e);
            return;
        }
        described.forEach((name, d) -> {
            if (d.partitions().size() != partitions) {
                log.warn("topic {} has {} partitions, TOPIC_PARTITIONS says {}; left unchanged", name, d.partitions().size(), partitions);
            }
        });
    }
}

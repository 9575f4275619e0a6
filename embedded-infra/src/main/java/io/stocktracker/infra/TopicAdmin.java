package io.stocktracker.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Idempotent topic creation: what exists is left alone, what is missing is created with its configs. */
public final class TopicAdmin {
    /** Creates each missing topic of {@code configs} with {@code partitions} partitions; returns those created. */
    public static List<String> ensureTopics(String bootstrapServers, Map<String, Map<String, String>> configs, int partitions) {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000))) {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            configs.forEach((name, topicConfigs) -> {
                if (!existing.contains(name)) {
                    missing.add(new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(topicConfigs));
                }
            });
            List<String> created = new ArrayList<>();
            var result = admin.createTopics(missing);
            for (NewTopic topic : missing) {
                try {
                    result.values().get(topic.name()).get(60, TimeUnit.SECONDS);
                    created.add(topic.name());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("could not create topic " + topic.name(), e.getCause());
                    }
                }
            }
            return created;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not list topics on " + bootstrapServers, e);
        }
    }

    private TopicAdmin() {}
}

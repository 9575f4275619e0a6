package io.stocktracker.kit.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * streams-processor alone creates the topics (with TOPIC_PARTITIONS and their configs); every other service
 * waits here until they exist, so the first service up no longer decides a topic's partition count.
 */
public final class TopicWait {
    private static final Logger log = LoggerFactory.getLogger(TopicWait.class);
    private static final long POLL_MILLIS = 500;
    private static final long LOG_EVERY_MILLIS = 10_000;

    private TopicWait() {
    }

    /** True once every topic exists; false (logged) when {@code timeout} passes first. */
    public static boolean await(String bootstrapServers, Collection<String> topics, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextLog = 0;
        Set<String> missing = new TreeSet<>(topics);
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.max(1_000, Math.min(timeout.toMillis(), 30_000)),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1_000, Math.min(timeout.toMillis(), 30_000))))) {
            while (true) {
                try {
                    missing.removeAll(admin.listTopics().names().get(Math.max(1, remainingMillis(deadline)), TimeUnit.MILLISECONDS));
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    log.debug("listing topics failed; retrying", e);
                }
                if (missing.isEmpty()) {
                    return true;
                }
                if (remainingMillis(deadline) <= 0) {
                    log.warn("topics {} still missing after {}; continuing (streams-processor creates them)", missing, timeout);
                    return false;
                }
                if (System.nanoTime() >= nextLog) {
                    log.info("waiting for topics {} on {}: streams-processor creates them", missing, bootstrapServers);
                    nextLog = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOG_EVERY_MILLIS);
                }
                Thread.sleep(Math.min(POLL_MILLIS, Math.max(1, remainingMillis(deadline))));
            }
        }
    }

    private static long remainingMillis(long deadlineNanos) {
        return TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    }
}

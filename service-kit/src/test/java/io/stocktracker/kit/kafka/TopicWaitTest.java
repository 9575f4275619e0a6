package io.stocktracker.kit.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.infra.EmbeddedKafka;
import io.stocktracker.infra.TopicAdmin;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TopicWaitTest {
    static EmbeddedKafka kafka;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void waitsUntilAnotherServiceCreatesTheTopicAndNeverCreatesItItself() throws Exception {
        assertThat(TopicWait.await(kafka.bootstrapServers(), List.of("wait.absent"), Duration.ofSeconds(2))).isFalse();
        assertThat(TopicAdmin.ensureTopics(kafka.bootstrapServers(), Map.of("wait.absent", Map.of()), 1)).contains("wait.absent");

        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return TopicWait.await(kafka.bootstrapServers(), List.of("wait.later"), Duration.ofSeconds(60));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        TopicAdmin.ensureTopics(kafka.bootstrapServers(), Map.of("wait.later", Map.of()), 1);
        assertThat(waiting.get()).isTrue();
    }
}

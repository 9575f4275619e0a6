package io.stocktracker.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class InfraTest {
    @Test
    void externalServersNamedInTheEnvironmentAreUsedAndNothingIsStarted() {
        Map<String, String> env = Map.of(Infra.KAFKA_ENV, " kafka:9092 ", Infra.REDIS_ENV, "redis://redis:6379");
        KafkaCluster kafka = Infra.kafka(env);
        assertThat(kafka.bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(kafka.managed()).isFalse();
        assertThat(Infra.externalRedisUrl(env)).contains("redis://redis:6379");
    }

    @Test
    void blankVariablesMeanStartYourOwn() {
        Map<String, String> env = Map.of(Infra.KAFKA_ENV, "  ", Infra.REDIS_ENV, "");
        assertThat(Infra.externalKafka(env)).isEmpty();
        assertThat(Infra.externalRedisUrl(env)).isEmpty();
    }
}

package io.stocktracker.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.infra.ChildJvm;
import io.stocktracker.infra.EmbeddedRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code bin/stocktracker up} as the script runs it ({@code java -cp <launcher jar and runtime classpath> Launcher}):
 * the whole stack in one JVM logs at INFO with the shipped configuration and prints none of its secrets.
 */
class LauncherLoggingTest {
    @Test
    void upLogsAtInfoWithoutDebugLinesAndPrintsNoSecret() throws Exception {
        String redisPassword = "redis-pw-" + UUID.randomUUID();
        String jwtSecret = "jwt-secret-" + UUID.randomUUID();
        String avKey = "av-key-" + UUID.randomUUID();
        try (EmbeddedRedis redis = EmbeddedRedis.startWithPassword(redisPassword);
             ChildJvm up = ChildJvm.start(Launcher.class, List.of("up", "--ephemeral", "--port", "0"), Map.of(
                     "REDIS_URL", redis.url(),
                     "AUTH_MODE", "jwt",
                     "JWT_SECRET", jwtSecret,
                     "ALPHAVANTAGE_API_KEY", avKey,
                     "INGEST_SOURCES", "simulated"), Path.of("target", "launcher-logging.log"))) {
            up.awaitOutput("Press Ctrl-C to stop.", Duration.ofSeconds(240));
            up.stop(Duration.ofSeconds(60));
            String log = up.output();
            assertThat(log).contains(" INFO ").contains("stack ready in").contains("redis://:***@127.0.0.1:" + redis.port());
            assertThat(log).doesNotContainPattern("\\b(DEBUG|TRACE)\\b");
            assertThat(log).doesNotContain(redisPassword).doesNotContain(jwtSecret).doesNotContain(avKey);
        }
    }
}

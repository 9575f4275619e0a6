package io.stocktracker.edge;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.stocktracker.infra.ChildJvm;
import io.stocktracker.infra.EmbeddedRedis;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The edge as its image runs it ({@code java -cp <jar and runtime dependencies> EdgeApp}, no test resource on the
 * classpath) logs at INFO with the shipped configuration, and no secret it was given reaches its output.
 */
class EdgeLoggingTest {
    private static final String REDIS_PASSWORD = "redis-pw-" + UUID.randomUUID();
    private static final String JWT_SECRET = "jwt-secret-" + UUID.randomUUID();

    @Test
    void startsAtInfoWithoutDebugLinesAndPrintsNoSecret() throws Exception {
        String edgeId = "logging-" + UUID.randomUUID().toString().substring(0, 8);
        Path out = Path.of("target", "edge-logging.log");
        Files.createDirectories(out.getParent());
        String token = JWT.create().withSubject("logging-user").withExpiresAt(Instant.now().plusSeconds(600))
                .sign(Algorithm.HMAC256(JWT_SECRET));
        try (EmbeddedRedis redis = EmbeddedRedis.startWithPassword(REDIS_PASSWORD);
             ChildJvm edge = ChildJvm.start(EdgeApp.class, java.util.List.of(), Map.of(
                     "EDGE_PORT", "0",
                     "EDGE_ID", edgeId,
                     "EDGE_CONSUMER_GROUP", edgeId,
                     "KAFKA_BOOTSTRAP_SERVERS", TestInfra.kafka().bootstrapServers(),
                     "REDIS_URL", redis.url(),
                     "AUTH_MODE", "jwt",
                     "JWT_SECRET", JWT_SECRET), out)) {
            edge.awaitOutput("edge " + edgeId + " listening on port", Duration.ofSeconds(120));
            Matcher port = Pattern.compile("edge " + edgeId + " listening on port (\\d+)").matcher(edge.output());
            assertThat(port.find()).isTrue();
            URI withToken = URI.create("ws://127.0.0.1:" + port.group(1) + "/ws?token=" + token);
            try (WsClient client = WsClient.connect(withToken)) {
                client.next("connected");
            }
            URI forged = URI.create("ws://127.0.0.1:" + port.group(1) + "/ws?token=" + token + "x");
            try (WsClient client = WsClient.connect(forged)) {
                client.closed.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
            edge.stop(Duration.ofSeconds(30));

            String log = edge.output();
            assertThat(log).contains("INFO").contains("edge " + edgeId + " stopped");
            assertThat(log).doesNotContainPattern("\\b(DEBUG|TRACE)\\b");
            assertThat(log).doesNotContain(REDIS_PASSWORD).doesNotContain(JWT_SECRET).doesNotContain(token);
            assertThat(log).contains("redis://:***@127.0.0.1:" + redis.port());
        }
    }
}

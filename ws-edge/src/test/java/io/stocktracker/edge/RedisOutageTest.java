package io.stocktracker.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stocktracker.infra.EmbeddedRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Redis goes away: connected clients keep receiving from Kafka, /ready says 503, and all recovers after Redis returns. */
class RedisOutageTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void clientsKeepReceivingFromKafkaWhileRedisIsDownAndReadinessFollowsRedis() throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.start()) {
            TestEdge edge = TestEdge.real(Map.of("REDIS_URL", redis.url()));
            try (WsClient c = connectWhenReady(edge)) {
                c.subscribe("OUTAGE");
                c.next("subscribed");
                TestInfra.publish("OUTAGE", 1.0);
                c.nextPrice("OUTAGE", 1.0);

                redis.stop();
                await().atMost(TestInfra.TIMEOUT).until(() -> readyStatus(edge) == 503);
                TestInfra.publish("OUTAGE", 2.0);
                c.next(m -> WsClient.priceOf(m, "OUTAGE") == 2.0, Duration.ofSeconds(60), "update while Redis is down");
                assertThat(c.isOpen()).isTrue();

                redis.restart();
                await().atMost(TestInfra.TIMEOUT).until(() -> readyStatus(edge) == 200);
                TestInfra.publish("OUTAGE", 3.0);
                c.next(m -> WsClient.priceOf(m, "OUTAGE") == 3.0, Duration.ofSeconds(60), "update after Redis is back");
            } finally {
                edge.close();
            }
        }
    }

    private static WsClient connectWhenReady(TestEdge edge) {
        await().atMost(TestInfra.TIMEOUT).until(edge::ready);
        return WsClient.open(edge.port());
    }

    private static int readyStatus(TestEdge edge) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.port() + "/ready")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}

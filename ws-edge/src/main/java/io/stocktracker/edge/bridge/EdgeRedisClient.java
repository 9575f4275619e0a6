package io.stocktracker.edge.bridge;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Lettuce client with its own small thread pools, as every Redis user of the edge (bridge, cluster-wide user
 * caps) builds it: reconnects on its own with a capped, jittered exponential delay, and while Redis is away fails
 * commands at once instead of buffering them without bound (callers fall back to Kafka or to local limits instead).
 * The cap is what a restarted Redis waits for its edges at worst (default 1 s); the jitter (each delay somewhere in
 * the upper half of the doubled one) keeps many edges from knocking in step. A reconnect attempt costs nothing
 * while connected: the delay only runs after a connection was lost.
 */
public final class EdgeRedisClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EdgeRedisClient.class);
    private static final Duration FIRST_DELAY = Duration.ofMillis(100);

    private final ClientResources resources;
    private final RedisClient client;
    private final Delay reconnectDelay;

    /** {@code clientName} shows in CLIENT LIST, which is how ops tell the edges' connections apart. */
    public EdgeRedisClient(String url, String clientName, int ioThreads, Duration commandTimeout, Duration maxBackoff) {
        Duration first = FIRST_DELAY.compareTo(maxBackoff) <= 0 ? FIRST_DELAY : maxBackoff;
        // min(cap, 100 ms x 2^attempt), then a uniform pick in its upper half; never below the first delay
        this.reconnectDelay = Delay.fullJitter(first, maxBackoff, FIRST_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(ioThreads)
                .computationThreadPoolSize(1)
                .reconnectDelay(reconnectDelay)
                .build();
        RedisURI uri = RedisURI.create(url);
        uri.setClientName(clientName);
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(2)).keepAlive(true).build())
                .build());
    }

    public RedisClient client() {
        return client;
    }

    /** The wait before our own next connect attempt after {@code failedAttempts} failures: the same schedule as Lettuce's. */
    public long retryDelayMillis(int failedAttempts) {
        return reconnectDelay.createDelay(Math.min(failedAttempts, 30) + 1L).toMillis();
    }

    /** Shuts the client and its thread pools down without waiting for commands in flight (no Netty threads left). */
    @Override
    public void close() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        try {
            resources.shutdown(0, 2, TimeUnit.SECONDS).get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("Redis client resources did not shut down cleanly", e);
        }
    }
}

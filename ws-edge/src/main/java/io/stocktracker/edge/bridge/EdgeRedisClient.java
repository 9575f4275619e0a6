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
 * caps) builds it: reconnects on its own with a capped exponential delay, and while Redis is away fails commands
 * at once instead of buffering them without bound (callers fall back to Kafka or to local limits instead).
 */
public final class EdgeRedisClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EdgeRedisClient.class);
    private static final Duration FIRST_DELAY = Duration.ofMillis(100);

    private final ClientResources resources;
    private final RedisClient client;
    private final Duration maxBackoff;

    /** {@code clientName} shows in CLIENT LIST, which is how ops tell the edges' connections apart. */
    public EdgeRedisClient(String url, String clientName, int ioThreads, Duration commandTimeout, Duration maxBackoff) {
        this.maxBackoff = maxBackoff;
        Duration first = FIRST_DELAY.compareTo(maxBackoff) <= 0 ? FIRST_DELAY : maxBackoff;
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(ioThreads)
                .computationThreadPoolSize(1)
                .reconnectDelay(Delay.exponential(first, maxBackoff, 2, TimeUnit.MILLISECONDS))
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

    /** The wait before our own next connect attempt after {@code failedAttempts} failures: doubling, capped. */
    public long retryDelayMillis(int failedAttempts) {
        return Math.min(maxBackoff.toMillis(), FIRST_DELAY.toMillis() << Math.min(failedAttempts, 20));
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

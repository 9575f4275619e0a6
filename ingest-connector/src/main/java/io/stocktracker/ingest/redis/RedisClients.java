package io.stocktracker.ingest.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.netty.util.HashedWheelTimer;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The one way the connector's Redis users (link, leader lease, budget ledger) build their Lettuce client. */
public final class RedisClients {
    /**
     * Lettuce's default reconnect delay doubles up to 30 s, so after a Redis restart the connector's link and
     * lease could come back many seconds late. Here: min(1 s, 100 ms x 2^attempt), picked in its upper half
     * (jitter, so instances do not knock in step). Shared by every client of the JVM (one set of I/O threads);
     * all its threads are daemons (Lettuce's timer is not by default: ours is), so it is never shut down. Costs
     * nothing while connected.
     */
    private static final ClientResources RESOURCES = DefaultClientResources.builder()
            .reconnectDelay(Delay.fullJitter(Duration.ofMillis(100), Duration.ofSeconds(1), 100, TimeUnit.MILLISECONDS))
            .timer(new HashedWheelTimer(new DefaultThreadFactory("ingest-redis-timer", true)))
            .build();

    private RedisClients() {}

    /**
     * Reconnects on its own, but while Redis is away fails commands at once instead of buffering them without
     * bound: every caller here would rather skip a beat than act late on stale state.
     */
    public static RedisClient failFast(String url, Duration connectTimeout, Duration commandTimeout) {
        RedisClient client = RedisClient.create(RESOURCES, RedisURI.create(url));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build())
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .build());
        return client;
    }
}

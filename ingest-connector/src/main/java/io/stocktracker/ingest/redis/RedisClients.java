package io.stocktracker.ingest.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import java.time.Duration;

/** The one way the connector's Redis users (link, leader lease, budget ledger) build their Lettuce client. */
public final class RedisClients {
    private RedisClients() {}

    /**
     * Reconnects on its own, but while Redis is away fails commands at once instead of buffering them without
     * bound: every caller here would rather skip a beat than act late on stale state.
     */
    public static RedisClient failFast(String url, Duration connectTimeout, Duration commandTimeout) {
        RedisClient client = RedisClient.create(RedisURI.create(url));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build())
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .build());
        return client;
    }
}

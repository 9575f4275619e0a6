package io.stocktracker.ingest.redis;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.stocktracker.kit.redis.ManagedRedisClient;
import java.time.Duration;

/**
 * One Redis connection for a single-threaded user (the leader lease, the budget ledger), opened on first use so
 * an instance that never needs it starts no client threads, and closed quietly however dead the link is.
 */
public final class LazyRedisConnection implements AutoCloseable {
    private final String url;
    private final Duration timeout;
    private ManagedRedisClient client;
    private volatile StatefulRedisConnection<String, String> connection;

    /** {@code timeout} bounds both connecting and each command (see {@link ManagedRedisClient}). */
    public LazyRedisConnection(String url, Duration timeout) {
        this.url = url;
        this.timeout = timeout;
    }

    /** Connects on the first call; throws like Lettuce does while Redis is unreachable. */
    public synchronized RedisCommands<String, String> sync() {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null) {
            if (client == null) {
                client = new ManagedRedisClient(url, "ingest", 1, timeout, timeout, ManagedRedisClient.DEFAULT_MAX_BACKOFF);
            }
            c = client.client().connect();
            connection = c;
        }
        return c.sync();
    }

    /** True once connected and while the link is up (Lettuce reconnects it on its own). */
    public boolean isOpen() {
        StatefulRedisConnection<String, String> c = connection;
        return c != null && c.isOpen();
    }

    @Override
    public synchronized void close() {
        try {
            StatefulRedisConnection<String, String> c = connection;
            if (c != null) {
                c.close();
            }
        } catch (RuntimeException ignored) {
            // closing a dead link
        }
        connection = null;
        if (client != null) {
            client.close();
            client = null;
        }
    }
}

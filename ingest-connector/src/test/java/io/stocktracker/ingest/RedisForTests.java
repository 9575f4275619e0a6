package io.stocktracker.ingest;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.stocktracker.infra.EmbeddedRedis;

/** A real redis-server for one test class, with a plain connection for the test's own reads and writes. */
public final class RedisForTests implements AutoCloseable {
    private final EmbeddedRedis server;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    private RedisForTests(EmbeddedRedis server) {
        this.server = server;
        this.client = RedisClient.create(server.url());
        this.connection = client.connect();
    }

    public static RedisForTests start() {
        return new RedisForTests(EmbeddedRedis.start());
    }

    public String url() {
        return server.url();
    }

    public int port() {
        return server.port();
    }

    public RedisCommands<String, String> sync() {
        return connection.sync();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
        server.close();
    }
}

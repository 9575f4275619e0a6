package io.stocktracker.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;
import redis.embedded.core.RedisServerBuilder;

/**
 * A real redis-server process on a free port: the {@code redis-server} on PATH when there is one
 * (Debian's 7.x), otherwise the binary bundled in embedded-redis (6.2). {@link #stop()} then
 * {@link #restart()} brings it back on the same port, which is how tests show reconnection.
 */
public final class EmbeddedRedis implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedRedis.class);

    private final int port;
    private final Optional<Path> binary;
    private final String password;
    private RedisServer server;

    private EmbeddedRedis(int port, String password) {
        this.port = port;
        this.password = password;
        this.binary = redisOnPath();
    }

    public static EmbeddedRedis start() {
        return start(FreePorts.next());
    }

    public static EmbeddedRedis start(int port) {
        EmbeddedRedis redis = new EmbeddedRedis(port, null);
        redis.restart();
        return redis;
    }

    /** A server that refuses every command until AUTH {@code password}, as docker-compose.yml runs Redis. */
    public static EmbeddedRedis startWithPassword(String password) {
        EmbeddedRedis redis = new EmbeddedRedis(FreePorts.next(), password);
        redis.restart();
        return redis;
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:PORT} (or {@code redis://:PASSWORD@127.0.0.1:PORT}), the form REDIS_URL takes. */
    public String url() {
        return "redis://" + (password == null ? "" : ":" + password + "@") + "127.0.0.1:" + port;
    }

    public synchronized boolean running() {
        return server != null && server.isActive();
    }

    public synchronized void restart() {
        if (running()) {
            return;
        }
        try {
            RedisServerBuilder builder = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    // pub/sub and a latest-value cache: nothing here needs persistence
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .setting("maxmemory 256mb");
            if (password != null) {
                builder.setting("requirepass " + password);
            }
            binary.ifPresent(b -> builder.executableProvider(() -> b.toFile()));
            server = builder.build();
            server.start();
            log.info("redis-server {} listening on {}", binary.map(Path::toString).orElse("(bundled)"), port);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start redis-server on port " + port, e);
        }
    }

    public synchronized void stop() {
        if (server != null) {
            try {
                server.stop();
            } catch (IOException e) {
                log.warn("redis-server on {} did not stop cleanly", port, e);
            }
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static Optional<Path> redisOnPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(java.io.File.pathSeparator))
                .map(dir -> Path.of(dir, "redis-server"))
                .filter(Files::isExecutable)
                .findFirst();
    }
}

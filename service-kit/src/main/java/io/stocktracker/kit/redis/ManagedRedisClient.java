package io.stocktracker.kit.redis;

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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Lettuce client as every Redis user of every service builds it, with its own small thread pools (all daemons;
 * {@link #close} stops them). It reconnects on its own, and while Redis is away fails commands at once instead of
 * buffering them without bound: callers fall back (to Kafka, to local limits, to the last known set) rather than
 * act late on stale state.
 *
 * <p>Lettuce's reconnects and the first connection (which Lettuce does not retry, see {@link #connectInBackground})
 * both wait by the one {@link ReconnectBackoff} rule. It costs nothing while connected.
 */
public final class ManagedRedisClient implements AutoCloseable {
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(ManagedRedisClient.class);

    private final ClientResources resources;
    private final HashedWheelTimer timer;
    private final RedisClient client;
    private final ReconnectBackoff backoff;

    /** {@code clientName} shows in CLIENT LIST, which is how ops tell the services' connections apart. */
    public ManagedRedisClient(String url, String clientName, int ioThreads, Duration connectTimeout, Duration commandTimeout,
                              Duration maxBackoff) {
        this.backoff = new ReconnectBackoff(maxBackoff);
        // Lettuce's own timer thread is not a daemon: it would keep a JVM alive that forgot to close us. A timer
        // handed in is not stopped by Lettuce: close() stops it
        this.timer = new HashedWheelTimer(new DefaultThreadFactory("redis-timer-" + clientName, true));
        this.resources = DefaultClientResources.builder()
                .ioThreadPoolSize(ioThreads)
                .computationThreadPoolSize(1)
                .reconnectDelay(new Delay() {
                    @Override
                    public Duration createDelay(long attempt) {
                        return Duration.ofMillis(backoff.delayMillis(attempt));
                    }
                })
                .timer(timer)
                .build();
        RedisURI uri = RedisURI.create(url);
        uri.setClientName(clientName);
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout).keepAlive(true).build())
                .build());
    }

    public RedisClient client() {
        return client;
    }

    /** The wait before the next connect attempt after {@code failedAttempts} failures: Lettuce's schedule. */
    public long retryDelayMillis(int failedAttempts) {
        return backoff.delayMillis(failedAttempts + 1L);
    }

    /** Told before each retry of a first connection that failed. */
    public interface RetryListener {
        void retrying(RuntimeException failure, long delayMillis, int attempt);
    }

    /**
     * Runs {@code attempt} on {@code scheduler} until it returns without throwing (or {@code closed} turns true),
     * waiting {@link #retryDelayMillis} between tries: a service may start before Redis does.
     */
    public void connectInBackground(ScheduledExecutorService scheduler, BooleanSupplier closed, Runnable attempt,
                                    RetryListener onRetry) {
        new Object() {
            int attempts;

            void run() {
                if (closed.getAsBoolean()) {
                    return;
                }
                try {
                    attempt.run();
                } catch (RuntimeException e) {
                    if (closed.getAsBoolean()) {
                        return;
                    }
                    long delay = retryDelayMillis(attempts);
                    attempts++;
                    onRetry.retrying(e, delay, attempts);
                    try {
                        scheduler.schedule(this::run, delay, TimeUnit.MILLISECONDS);
                    } catch (RejectedExecutionException closing) {
                        // the owner shut its scheduler down
                    }
                }
            }

            void start() {
                try {
                    scheduler.execute(this::run);
                } catch (RejectedExecutionException closing) {
                    // the owner shut its scheduler down
                }
            }
        }.start();
    }

    /** Shuts the client and its thread pools down without waiting for commands in flight. */
    @Override
    public void close() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        try {
            resources.shutdown(0, 2, TimeUnit.SECONDS).get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("Redis client resources did not shut down cleanly", e);
        }
        timer.stop();
    }
}

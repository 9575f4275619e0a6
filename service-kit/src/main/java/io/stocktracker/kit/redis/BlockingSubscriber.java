package io.stocktracker.kit.redis;

import io.stocktracker.kit.logging.Redact;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.JedisURIHelper;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A Redis pub/sub connection read with blocking I/O on a thread of its own: a published message reaches
 * {@code messages} on the thread that read it from the socket, with no hand-off to an event loop in between (on a
 * small box each hand-off is a wake-up, measured at about 300 us at p50 per message, issue 12).
 *
 * <p>It connects, SUBSCRIBEs the channels and reports each step to its {@link Listener}. When the socket fails
 * (Redis restarted, the network dropped it) it reports the loss and reconnects, waiting by the one
 * {@link ReconnectBackoff} rule, then subscribes again. There is no read timeout: a quiet channel is normal, and
 * a restarted Redis closes the socket. TCP keep-alive is on (Jedis' socket default), as for Lettuce's connections.
 * {@link #close} closes the socket, which unblocks the read, and waits for the thread to end.
 */
public final class BlockingSubscriber implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BlockingSubscriber.class);
    private static final int DEFAULT_PORT = 6379;
    /**
     * A reply over this (bytes, or elements of an aggregate) drops the connection, which is then made again. Far
     * above any message a service accepts (they refuse larger ones themselves and count them, without losing the
     * connection), in the range where Redis' default client-output-buffer-limit for pub/sub (8 MB soft, 32 MB hard)
     * cuts a subscriber anyway, and far below what would hurt the heap. Jedis has no bound of its own.
     */
    static final int MAX_REPLY_BYTES = 16 << 20;

    /** Called on the subscriber's own thread: keep it short, it holds up the next message. */
    public interface Listener {
        void connected();

        void subscribed(String channel);

        /** The connection was lost or could not be made; {@code attempt} failures in a row so far. */
        void disconnected(RuntimeException cause, long retryInMillis, int attempt);
    }

    private final URI uri;
    private final String clientName;
    private final Duration connectTimeout;
    private final ReconnectBackoff backoff;
    private final byte[][] channels;
    private final BiConsumer<String, byte[]> messages;
    private final Listener listener;
    private final Thread thread;
    private volatile Jedis current;
    private volatile boolean closed;

    /** {@code clientName} shows in CLIENT LIST; {@code url} is redis:// or rediss://, with a password if any. */
    public BlockingSubscriber(String url, String clientName, Duration connectTimeout, Duration maxBackoff, List<String> channels,
                              BiConsumer<String, byte[]> messages, Listener listener) {
        this.uri = withPort(URI.create(url));
        this.clientName = clientName;
        this.connectTimeout = connectTimeout;
        this.backoff = new ReconnectBackoff(maxBackoff);
        this.channels = channels.stream().map(c -> c.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toArray(byte[][]::new);
        this.messages = messages;
        this.listener = listener;
        this.thread = new Thread(this::run, "redis-subscriber-" + clientName);
        this.thread.setDaemon(true);
        // an Error from the consumer ends the thread: said loudly, since no message would arrive after it
        this.thread.setUncaughtExceptionHandler((t, e) -> log.error("{} stopped: no more Redis messages will arrive", t.getName(), e));
    }

    public BlockingSubscriber start() {
        thread.start();
        return this;
    }

    private void run() {
        int failures = 0;
        while (!closed) {
            try (Jedis jedis = connect()) {
                current = jedis;
                if (closed) {
                    return;
                }
                failures = 0;
                listener.connected();
                jedis.subscribe(new BinaryJedisPubSub() {
                    @Override
                    public void onMessage(byte[] channel, byte[] message) {
                        messages.accept(new String(channel, java.nio.charset.StandardCharsets.UTF_8), message);
                    }

                    @Override
                    public void onSubscribe(byte[] channel, int subscribedChannels) {
                        listener.subscribed(new String(channel, java.nio.charset.StandardCharsets.UTF_8));
                    }
                }, channels);
                // subscribe() returns only once every channel is unsubscribed, which nothing here asks for
                throw new JedisException("the subscription ended");
            } catch (RuntimeException e) {
                current = null;
                if (closed) {
                    return;
                }
                failures++;
                long delay = backoff.delayMillis(failures);
                listener.disconnected(e, delay, failures);
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException interrupted) {
                    return; // close() interrupts the wait
                }
            }
        }
    }

    private Jedis connect() {
        int timeoutMillis = Math.toIntExact(connectTimeout.toMillis());
        DefaultJedisClientConfig config = DefaultJedisClientConfig.builder()
                .clientName(clientName)
                .connectionTimeoutMillis(timeoutMillis)
                // bounds the handshake (AUTH, CLIENT SETNAME); SUBSCRIBE then reads without a timeout
                .socketTimeoutMillis(timeoutMillis)
                .user(JedisURIHelper.getUser(uri))
                .password(JedisURIHelper.getPassword(uri))
                .database(JedisURIHelper.getDBIndex(uri))
                .ssl(JedisURIHelper.isRedisSSLScheme(uri))
                // no HELLO: pub/sub pushes come as plain RESP2 arrays, which every server version speaks
                .autoNegotiateProtocol(false)
                .build();
        return new Jedis(new SizeGuardedSocketFactory(JedisURIHelper.getHostAndPort(uri), config, MAX_REPLY_BYTES), config);
    }

    /** Stops the thread: closes the socket under a blocked read, or cuts a backoff wait short. */
    @Override
    public void close() {
        closed = true;
        Jedis jedis = current;
        if (jedis != null) {
            try {
                jedis.disconnect();
            } catch (RuntimeException e) {
                log.debug("closing the subscriber's connection to {}", Redact.url(uri.toString()), e);
            }
        }
        thread.interrupt();
        try {
            // a connect in progress ends within its timeout
            thread.join(connectTimeout.toMillis() * 2 + 1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static URI withPort(URI uri) {
        if (uri.getPort() != -1) {
            return uri;
        }
        try {
            return new URI(uri.getScheme(), uri.getUserInfo(), uri.getHost(), DEFAULT_PORT, uri.getPath(), uri.getQuery(), uri.getFragment());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("not a Redis URL: " + Redact.url(uri.toString()), e);
        }
    }
}

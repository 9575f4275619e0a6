package io.stocktracker.loadgen.feed;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.stocktracker.loadgen.report.MeasurementWindow;
import io.stocktracker.schemas.contract.Channels;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes {@code price_update}s straight into Redis {@code market-data:updates} at a fixed total rate,
 * round-robin over the symbols, each stamped with its publish instant (see {@link PriceUpdateTemplate}): the edge
 * alone is measured, without Kafka or the streams processor in front. Commands are pipelined (Lettuce async,
 * auto-flush off, one flush per tick), so one connection sustains 100,000 publishes a second. A quote counts as
 * produced when Redis acknowledged it; seqs start from the current second times 10^9, so every run's quotes are
 * newer than any earlier run's on an edge that stays up.
 */
public final class RedisPublisher implements AutoCloseable {
    public static final String SOURCE = "edge-bench";
    /** Unacknowledged commands beyond this make the publisher wait: Redis is behind, not the plan. */
    static final int MAX_OUTSTANDING = 200_000;
    private static final long TICK_NANOS = 500_000;
    private static final byte[] CHANNEL = Channels.UPDATES.getBytes(StandardCharsets.UTF_8);

    private final List<String> symbols;
    private final PublishLedger ledger;
    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final RedisAsyncCommands<byte[], byte[]> redis;
    private final long[] seqs;
    private final AtomicLong outstanding = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile double rate;
    private volatile long rateSince;
    private volatile long sentAtRateChange;
    private volatile long sent;

    public RedisPublisher(String redisUrl, List<String> symbols, MeasurementWindow window) {
        this.symbols = List.copyOf(symbols);
        this.ledger = new PublishLedger(symbols, window);
        this.seqs = new long[symbols.size()];
        long base = Instant.now().getEpochSecond() * 1_000_000_000L;
        Arrays.fill(seqs, base);
        this.client = RedisClient.create(redisUrl);
        this.connection = client.connect(ByteArrayCodec.INSTANCE);
        this.connection.setAutoFlushCommands(false);
        this.redis = connection.async();
        this.thread = new Thread(this::run, "edge-bench-publisher");
        this.thread.setDaemon(true);
        this.rateSince = System.nanoTime();
    }

    public RedisPublisher start(double perSecond) {
        setRate(perSecond);
        thread.start();
        return this;
    }

    /** Changes the total rate from now on. */
    public synchronized void setRate(double perSecond) {
        sentAtRateChange = sent;
        rateSince = System.nanoTime();
        rate = perSecond;
    }

    private void run() {
        int next = 0;
        while (running) {
            long due;
            synchronized (this) {
                due = sentAtRateChange + (long) ((System.nanoTime() - rateSince) / 1e9 * rate);
            }
            long n = due - sent;
            if (n > 0 && outstanding.get() < MAX_OUTSTANDING) {
                long batch = Math.min(n, 10_000);
                for (long i = 0; i < batch; i++) {
                    publish(next);
                    next = next + 1 == symbols.size() ? 0 : next + 1;
                }
                sent = sent + batch;
                connection.flushCommands();
                if (batch < n) {
                    continue;
                }
            }
            LockSupport.parkNanos(TICK_NANOS);
        }
    }

    private void publish(int index) {
        long seq = ++seqs[index];
        Instant now = Instant.now();
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        byte[] payload = PriceUpdateTemplate.render(symbols.get(index), seq, 100 + (seq % 997) / 100.0, SOURCE, now);
        outstanding.incrementAndGet();
        redis.publish(CHANNEL, payload).whenComplete((receivers, error) -> {
            outstanding.decrementAndGet();
            ledger.answered(index, micros, error);
        });
    }

    /** Symbol -> publishes acknowledged by Redis whose stamp lies in the window. */
    public Map<String, Long> producedInWindow() {
        return ledger.producedInWindow();
    }

    public long sent() {
        return sent;
    }

    /**
     * Waits until Redis answered (acknowledged or failed) every publish sent so far, or {@code timeout}: on one
     * connection the answers come in order, so after this the window's produced counts are final.
     * @return whether everything was answered in time
     */
    public boolean awaitAnswered(java.time.Duration timeout) throws InterruptedException {
        long target = sent;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ledger.acked() + ledger.failed() < target) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    public long failed() {
        return ledger.failed();
    }

    public String lastError() {
        return ledger.lastError();
    }

    /** Stops publishing and waits (up to 5 s) for the outstanding acknowledgements. */
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        try {
            thread.join(5_000);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (outstanding.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        connection.close();
        client.shutdown();
    }
}

package io.stocktracker.loadgen.feed;

import io.stocktracker.loadgen.report.MeasurementWindow;
import io.stocktracker.schemas.contract.Channels;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Publishes {@code price_update}s straight into Redis {@code market-data:updates} at a fixed total rate,
 * round-robin over the symbols, each stamped with its publish instant (see {@link PriceUpdateTemplate}): the edge
 * alone is measured, without Kafka or the streams processor in front. One thread stamps, renders and writes each
 * quote (Jedis pipelining, blocking I/O, one flush per tick), then reads the tick's replies: no hand-off to an event
 * loop between the stamp and the socket, which the bench would count as edge latency (issue 12). A quote counts as
 * produced when Redis acknowledged it; seqs start from the current second times 10^9, so every run's quotes are
 * newer than any earlier run's on an edge that stays up. A lost connection fails the tick's publishes and is made
 * again on the next tick.
 */
public final class RedisPublisher implements AutoCloseable {
    public static final String SOURCE = "edge-bench";
    /** Publishes written before their replies are read: bounds what one tick holds, and how late a failure shows. */
    private static final int MAX_BATCH = 10_000;
    private static final long TICK_NANOS = 500_000;
    private static final byte[] CHANNEL = Channels.UPDATES.getBytes(StandardCharsets.UTF_8);

    private final List<String> symbols;
    private final PublishLedger ledger;
    private final URI redisUrl;
    private final long[] seqs;
    private final int[] batchIndexes = new int[MAX_BATCH];
    private final long[] batchStamps = new long[MAX_BATCH];
    private final Thread thread;
    /** Used by the publisher thread only (and by close() once that thread ended). */
    private Jedis jedis;
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
        this.redisUrl = URI.create(redisUrl);
        this.jedis = new Jedis(this.redisUrl); // connects now: a wrong address fails the run at once
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
            if (n > 0) {
                int batch = (int) Math.min(n, MAX_BATCH);
                publish(next, batch);
                next = (int) ((next + batch) % symbols.size());
                sent = sent + batch;
                if (batch < n) {
                    continue;
                }
            }
            LockSupport.parkNanos(TICK_NANOS);
        }
    }

    /** Publishes {@code batch} quotes round-robin from symbol {@code first} and reads their replies. */
    private void publish(int first, int batch) {
        int written = 0;
        try {
            if (jedis == null) {
                jedis = new Jedis(redisUrl);
            }
            Pipeline pipeline = jedis.pipelined();
            int index = first;
            for (int i = 0; i < batch; i++) {
                long seq = ++seqs[index];
                Instant now = Instant.now();
                batchIndexes[i] = index;
                batchStamps[i] = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
                pipeline.publish(CHANNEL, PriceUpdateTemplate.render(symbols.get(index), seq, 100 + (seq % 997) / 100.0, SOURCE, now));
                index = index + 1 == symbols.size() ? 0 : index + 1;
                written++;
            }
            pipeline.sync(); // one connection answers in order: every PUBLISH above is acknowledged
            for (int i = 0; i < batch; i++) {
                ledger.answered(batchIndexes[i], batchStamps[i], null);
            }
        } catch (JedisException e) {
            for (int i = written; i < batch; i++) { // counted as sent, never written: failed, stamped outside any window
                batchIndexes[i] = first;
                batchStamps[i] = 0;
            }
            for (int i = 0; i < batch; i++) {
                ledger.answered(batchIndexes[i], batchStamps[i], e);
            }
            disconnect();
        }
    }

    private void disconnect() {
        if (jedis != null) {
            try {
                jedis.close();
            } catch (JedisException e) {
                // already broken
            }
            jedis = null;
        }
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

    /** Stops publishing; the tick in progress, replies included, ends first (up to 5 s). */
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        if (!thread.isAlive()) {
            disconnect();
        }
    }
}

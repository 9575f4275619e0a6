package io.stocktracker.loadgen.feed;

import io.stocktracker.loadgen.report.MeasurementWindow;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Topics;
import io.stocktracker.schemas.model.RawQuote;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Drives the pipeline from its very start: RawQuotes into {@code quotes.raw} at a fixed total rate,
 * round-robin over the symbols, each with {@code ingestedAt} = send time (the start of end-to-end latency)
 * and a strictly increasing source timestamp, so the streams processor's dedup accepts every one.
 * A quote counts as produced only once the broker acknowledged it.
 */
public final class QuoteFeed implements AutoCloseable {
    private final List<String> symbols;
    private final int rate;
    private final String source;
    private final PublishLedger ledger;
    private final KafkaProducer<String, byte[]> producer;
    private final double[] prices;
    private final Thread thread;
    private volatile boolean running = true;

    public QuoteFeed(String bootstrapServers, List<String> symbols, int rate, String source, MeasurementWindow window) {
        this.symbols = List.copyOf(symbols);
        this.rate = rate;
        this.source = source;
        this.ledger = new PublishLedger(symbols, window);
        this.prices = new double[symbols.size()];
        for (int i = 0; i < prices.length; i++) {
            prices[i] = 50 + ThreadLocalRandom.current().nextDouble(450);
        }
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "loadgen-feed");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        this.thread = new Thread(this::run, "loadgen-feed");
        this.thread.setDaemon(true);
    }

    public QuoteFeed start() {
        thread.start();
        return this;
    }

    private void run() {
        long started = System.nanoTime();
        long sent = 0;
        int next = 0;
        while (running) {
            long due = (long) ((System.nanoTime() - started) / 1e9 * rate);
            while (sent < due && running) {
                send(next);
                next = (next + 1) % symbols.size();
                sent++;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void send(int index) {
        String symbol = symbols.get(index);
        double price = prices[index] = Math.max(1, prices[index] * (1 + ThreadLocalRandom.current().nextGaussian() * 0.001));
        Instant now = Instant.now();
        long nowMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        RawQuote quote = new RawQuote(symbol, Math.round(price * 100) / 100.0, null, null, null, null,
                ThreadLocalRandom.current().nextLong(1_000, 1_000_000), null, null, now, source, now);
        producer.send(new ProducerRecord<>(Topics.QUOTES_RAW, symbol, JsonCodec.toBytes(quote)),
                (meta, error) -> ledger.answered(index, nowMicros, error));
    }

    /** Symbol -> quotes acknowledged by the broker whose ingest time lies in the window. */
    public Map<String, Long> producedInWindow() {
        return ledger.producedInWindow();
    }

    public long acked() {
        return ledger.acked();
    }

    public long failed() {
        return ledger.failed();
    }

    public String lastError() {
        return ledger.lastError();
    }

    /** Stops producing and waits for outstanding acknowledgements. */
    public void stop() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.flush();
    }

    @Override
    public void close() {
        stop();
        producer.close(java.time.Duration.ofSeconds(5));
    }

}

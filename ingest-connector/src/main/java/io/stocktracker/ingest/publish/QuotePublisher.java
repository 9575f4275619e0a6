package io.stocktracker.ingest.publish;

import io.stocktracker.ingest.IngestMetrics;
import io.stocktracker.ingest.schedule.QuoteSink;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Topics;
import io.stocktracker.schemas.model.RawQuote;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces each RawQuote to {@code quotes.raw} keyed by symbol (so a symbol's quotes stay in order on one
 * partition). Idempotent with acks=all: a retried send after a broker hiccup is not a duplicate. Sends are
 * asynchronous, but wait (up to max.block.ms) while the broker is unreachable, which pauses fetching
 * through a broker restart without losing the quote in hand. After an outage longer than that, quotes
 * are dropped (counted) for a few seconds between probes, so a cycle never waits once per symbol.
 */
public final class QuotePublisher implements QuoteSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QuotePublisher.class);

    private final Producer<String, byte[]> producer;
    private final IngestMetrics metrics;
    private final String topic;
    private static final long UNREACHABLE_BACKOFF_NANOS = 5_000_000_000L;
    private volatile long unreachableSince = System.nanoTime() - UNREACHABLE_BACKOFF_NANOS;

    public QuotePublisher(String bootstrapServers, String clientId, IngestMetrics metrics) {
        this.producer = new KafkaProducer<>(properties(bootstrapServers, clientId), new StringSerializer(), new ByteArraySerializer());
        this.metrics = metrics;
        this.topic = Topics.QUOTES_RAW;
    }

    static Properties properties(String bootstrapServers, String clientId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        // quotes arrive in per-cycle bursts: a few ms of lingering batches a cycle into few requests
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // While the broker is away the producer drops the topic's metadata and send() waits for it: the
        // scheduler then stops fetching (no budget spent on quotes nobody can receive) and the quote in hand
        // goes out when the broker is back. Only an outage longer than this drops quotes, counted.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        return p;
    }

    @Override
    public void publish(RawQuote quote) {
        if (System.nanoTime() - unreachableSince < UNREACHABLE_BACKOFF_NANOS) {
            // the broker was unreachable a moment ago: a quote is superseded by the next fetch anyway,
            // so drop it (counted) rather than block the scheduler max.block.ms per symbol
            metrics.produceFailed();
            return;
        }
        try {
            producer.send(new ProducerRecord<>(topic, quote.symbol(), JsonCodec.toBytes(quote)), (metadata, error) -> {
                if (error == null) {
                    metrics.produced();
                } else {
                    metrics.produceFailed();
                    if (error instanceof org.apache.kafka.common.errors.TimeoutException) {
                        // no metadata within max.block.ms, or expired in the buffer: the broker is away
                        unreachableSince = System.nanoTime();
                    }
                    log.warn("quote for {} not produced to {}: {}", quote.symbol(), topic, error.toString());
                }
            });
        } catch (RuntimeException e) {
            metrics.produceFailed();
            unreachableSince = System.nanoTime();
            log.warn("quote for {} not handed to the producer (broker unreachable?), dropping quotes for {} s: {}",
                    quote.symbol(), UNREACHABLE_BACKOFF_NANOS / 1_000_000_000L, e.toString());
        }
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}

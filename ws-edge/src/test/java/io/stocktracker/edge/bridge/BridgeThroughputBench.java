package io.stocktracker.edge.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stocktracker.infra.EmbeddedKafka;
import io.stocktracker.infra.EmbeddedRedis;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Topics;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.schemas.ws.ErrorMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test: a measurement. Kafka record -> relay -> Redis PUBLISH -> SUBSCRIBE -> listener, end to end on
 * this machine. Run: {@code ./mvnw -o -pl ws-edge test -Dtest=BridgeThroughputBench -Dbench=true [-Dbench.records=N]
 * [-Dbench.rate=records/s]}: without a rate it measures throughput (latency then includes the backlog),
 * with one it measures latency at that load.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class BridgeThroughputBench {
    @Test
    void relayThroughputAndLatency() throws Exception {
        int records = Integer.getInteger("bench.records", 50_000);
        int symbols = 500;
        int rate = Integer.getInteger("bench.rate", 0); // records/s; 0 = as fast as the producer goes
        try (EmbeddedKafka kafka = EmbeddedKafka.start(); EmbeddedRedis redis = EmbeddedRedis.start()) {
            BridgeFixtures.createQuotesLatest(kafka.bootstrapServers(), Topics.QUOTES_LATEST);
            long[] latencyMicros = new long[records];
            AtomicInteger received = new AtomicInteger();
            QuoteListener listener = new QuoteListener() {
                @Override
                public void onQuote(StockQuote quote, byte[] frame) {
                    int i = received.getAndIncrement();
                    if (i < records) {
                        latencyMicros[i] = Duration.between(quote.processedAt(), Instant.now()).toNanos() / 1000;
                    }
                }

                @Override
                public void onSourceError(ErrorMessage error, byte[] frame) {
                }
            };
            var registry = new SimpleMeterRegistry();
            try (EdgeBridge bridge = EdgeBridge.start(BridgeFixtures.config(kafka.bootstrapServers(), redis.url(), "bench", Map.of()),
                    new LatestValueCache(), listener, m -> { }, registry);
                 KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                         ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                         ProducerConfig.LINGER_MS_CONFIG, "2",
                         ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                         ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
                await().atMost(Duration.ofSeconds(60)).until(bridge::ready);
                long start = System.nanoTime();
                for (int i = 0; i < records; i++) {
                    String symbol = "B" + (i % symbols);
                    StockQuote q = BridgeFixtures.quote(symbol, i / symbols + 1, 100 + i % 7);
                    q = new StockQuote(q.symbol(), q.price(), q.change(), q.changePercent(), q.volume(), q.high(), q.low(), q.open(),
                            q.previousClose(), q.timestamp(), q.source(), q.seq(), q.ingestedAt(), Instant.now());
                    producer.send(new ProducerRecord<>(Topics.QUOTES_LATEST, symbol, JsonCodec.toJson(q)));
                    if (rate > 0) {
                        long due = start + (long) ((i + 1) * 1e9 / rate);
                        while (System.nanoTime() < due) {
                            Thread.onSpinWait();
                            if (due - System.nanoTime() > 1_000_000) {
                                Thread.sleep(1);
                            }
                        }
                    }
                }
                producer.flush();
                double produceSeconds = (System.nanoTime() - start) / 1e9;
                await().atMost(Duration.ofMinutes(5)).until(() -> received.get() >= records);
                double seconds = (System.nanoTime() - start) / 1e9;
                long[] sorted = Arrays.copyOf(latencyMicros, records);
                Arrays.sort(sorted);
                System.out.printf("%nBRIDGE BENCH: %d records, %d symbols, rate %s: produced in %.2f s, all delivered after %.2f s -> %.0f updates/s "
                                + "end to end (Kafka -> PUBLISH -> SUBSCRIBE -> listener); latency since produce p50 %.1f ms, "
                                + "p99 %.1f ms, max %.1f ms; published %.0f, duplicates dropped %.0f%n%n",
                        records, symbols, rate > 0 ? rate + "/s" : "unpaced", produceSeconds, seconds, records / seconds, sorted[records / 2] / 1000.0,
                        sorted[(int) (records * 0.99)] / 1000.0, sorted[records - 1] / 1000.0,
                        registry.get("edge.redis.published").counter().count(),
                        registry.get("edge.updates.duplicates.dropped").counter().count());
                assertThat(received.get()).isEqualTo(records);
            }
        }
    }
}

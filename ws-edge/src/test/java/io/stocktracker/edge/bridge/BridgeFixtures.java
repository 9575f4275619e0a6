package io.stocktracker.edge.bridge;

import io.stocktracker.edge.EdgeConfig;
import io.stocktracker.infra.TopicAdmin;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Topics;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.schemas.redis.ControlMessage;
import io.stocktracker.schemas.ws.ErrorMessage;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the bridge integration tests share: quotes written straight to quotes.latest, and a recording listener. */
final class BridgeFixtures {
    /** A bridge config read the way the edge reads it, from environment variables, with {@code more} on top. */
    static BridgeConfig config(String bootstrap, String redisUrl, String edgeId, Map<String, String> more) {
        Map<String, String> env = new HashMap<>(more);
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("REDIS_URL", redisUrl);
        env.put("EDGE_ID", edgeId);
        return EdgeConfig.fromEnv(env).bridgeConfig();
    }

    /** Closes what the class started, last started first, skipping what never started. */
    static void closeAll(AutoCloseable... resources) {
        for (AutoCloseable r : resources) {
            if (r != null) {
                try {
                    r.close();
                } catch (Exception e) {
                    throw new IllegalStateException("could not close " + r, e);
                }
            }
        }
    }

    static void createQuotesLatest(String bootstrap, String topic) {
        TopicAdmin.ensureTopics(bootstrap, Map.of(topic, Topics.configs().get(Topics.QUOTES_LATEST)), Topics.DEFAULT_PARTITIONS);
    }

    static KafkaProducer<String, String> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, "0",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    }

    static StockQuote quote(String symbol, long seq, double price) {
        Instant now = Instant.now();
        return new StockQuote(symbol, price, 1.25, 0.5, 1000L + seq, price + 1, price - 1, price, price - 1.25, now,
                "Simulated", seq, now, now);
    }

    /** What streams-processor writes when it evicts an idle symbol: a null value under the symbol's key. */
    static void tombstone(KafkaProducer<String, String> producer, String topic, String symbol) {
        try {
            producer.send(new ProducerRecord<>(topic, symbol, null)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not produce the tombstone of " + symbol, e);
        }
    }

    static void send(KafkaProducer<String, String> producer, String topic, StockQuote quote) {
        try {
            producer.send(new ProducerRecord<>(topic, quote.symbol(), JsonCodec.toJson(quote))).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not produce " + quote, e);
        }
    }

    /** Records every call of the bridge's listeners. */
    static final class Recorder implements QuoteListener, ControlListener {
        record Delivered(StockQuote quote, byte[] frame) {}

        final List<Delivered> quotes = new CopyOnWriteArrayList<>();
        final List<ErrorMessage> errors = new CopyOnWriteArrayList<>();
        final List<ControlMessage> controls = new CopyOnWriteArrayList<>();

        @Override
        public void onQuote(StockQuote quote, byte[] frame) {
            quotes.add(new Delivered(quote, frame));
        }

        @Override
        public void onSourceError(ErrorMessage error, byte[] frame) {
            errors.add(error);
        }

        @Override
        public void onControl(ControlMessage message) {
            controls.add(message);
        }

        List<Long> seqsOf(String symbol) {
            return quotes.stream().filter(d -> d.quote().symbol().equals(symbol)).map(d -> d.quote().seq()).toList();
        }

        boolean has(String symbol, long seq) {
            return quotes.stream().anyMatch(d -> d.quote().symbol().equals(symbol) && d.quote().seq() == seq);
        }
    }

    private BridgeFixtures() {}
}

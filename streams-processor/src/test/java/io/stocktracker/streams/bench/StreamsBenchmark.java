package io.stocktracker.streams.bench;

import io.stocktracker.infra.EmbeddedKafka;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Topics;
import io.stocktracker.schemas.model.RawQuote;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.streams.ProcessingGuarantee;
import io.stocktracker.streams.StreamsApp;
import io.stocktracker.streams.StreamsConfig;
import io.stocktracker.streams.admin.TopicInitializer;
import io.stocktracker.streams.it.KafkaTestSupport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Pushes raw quotes through the real topology on a real (embedded) broker and prints, per processing
 * guarantee, the throughput of a flood of N quotes and the produce-to-quotes.latest latency (p50/p99/max)
 * of a paced stream, as a reader of quotes.latest sees it (read_committed, as edges read).
 *
 * <pre>
 * ./mvnw -o -q -pl streams-processor test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.stocktracker.streams.bench.StreamsBenchmark -Dexec.args="--records 20000 --rate 1000 --seconds 10"
 * </pre>
 * Options: --records N (flood), --rate R and --seconds S (paced phase), --symbols K, --commit-ms C,
 * --guarantee exactly_once_v2|at_least_once (default: both).
 */
public final class StreamsBenchmark {

    public static void main(String[] args) throws Exception {
        int records = intArg(args, "--records", 20_000);
        int symbols = intArg(args, "--symbols", 50);
        int rate = intArg(args, "--rate", 1000);
        int seconds = intArg(args, "--seconds", 10);
        int commitMs = intArg(args, "--commit-ms", (int) StreamsConfig.defaults().commitInterval().toMillis());
        List<ProcessingGuarantee> guarantees = Arrays.stream(ProcessingGuarantee.values())
                .filter(g -> stringArg(args, "--guarantee", g.kafkaValue()).equals(g.kafkaValue()))
                .collect(Collectors.toList());
        System.out.printf(Locale.ROOT, "streams-processor benchmark: flood %d quotes, then %d quotes/s for %d s, %d symbols, "
                        + "commit.interval.ms %d, %d cores, load average at start: %s%n",
                records, rate, seconds, symbols, commitMs, Runtime.getRuntime().availableProcessors(), loadAverage());
        List<String> lines = new ArrayList<>();
        for (ProcessingGuarantee g : guarantees) {
            lines.add(run(g, records, symbols, rate, seconds, commitMs));
        }
        System.out.println();
        System.out.println("| guarantee | flood records/s | paced rate | p50 ms | p99 ms | max ms | received |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        lines.forEach(System.out::println);
        System.out.println("load average at end: " + loadAverage());
        System.exit(0);
    }

    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "n/a";
        }
    }

    static String run(ProcessingGuarantee guarantee, int records, int symbolCount, int rate, int seconds, int commitMs) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            StreamsConfig config = StreamsConfig.fromEnv(java.util.Map.of(
                    StreamsConfig.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                    StreamsConfig.APPLICATION_ID, "bench-" + guarantee.kafkaValue().replace('_', '-'),
                    StreamsConfig.PROCESSING_GUARANTEE, guarantee.kafkaValue(),
                    StreamsConfig.COMMIT_INTERVAL_MS, String.valueOf(commitMs),
                    StreamsConfig.STREAMS_HTTP_PORT, "0",
                    StreamsConfig.STATE_DIR, Path.of("target", "bench-state", UUID.randomUUID().toString()).toAbsolutePath().toString()));
            TopicInitializer.ensureTopics(kafka.bootstrapServers(), config.topicPartitions(), config.replicationFactor(), Duration.ofSeconds(30));
            try (StreamsApp app = StreamsApp.start(config);
                 KafkaProducer<String, byte[]> producer = KafkaTestSupport.producer(kafka.bootstrapServers());
                 LatestReader reader = new LatestReader(kafka.bootstrapServers())) {
                long deadline = System.currentTimeMillis() + 120_000;
                while (app.state() != KafkaStreams.State.RUNNING && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                }
                List<String> symbols = new ArrayList<>();
                for (int i = 0; i < symbolCount; i++) {
                    symbols.add("SYM" + i);
                }
                Instant sourceBase = Instant.now().minus(Duration.ofHours(2));
                long[] sourceMillis = {0};

                // warm-up: the first records pay for task initialization and the first transaction
                send(producer, symbols, 200, sourceBase, sourceMillis);
                reader.awaitCount(200, Duration.ofSeconds(60));
                reader.reset();

                long start = System.nanoTime();
                send(producer, symbols, records, sourceBase, sourceMillis);
                reader.awaitCount(records, Duration.ofSeconds(300));
                double floodRate = reader.count() / ((reader.lastArrivalNanos() - start) / 1e9);
                reader.reset();

                int paced = rate * seconds;
                long periodNanos = 1_000_000_000L / rate;
                long next = System.nanoTime();
                for (int i = 0; i < paced; i++) {
                    while (System.nanoTime() < next) {
                        Thread.onSpinWait();
                    }
                    send(producer, symbols, 1, sourceBase, sourceMillis);
                    next += periodNanos;
                }
                reader.awaitCount(paced, Duration.ofSeconds(120));
                long[] lat = reader.latenciesMicros();
                Arrays.sort(lat);
                String line = String.format(Locale.ROOT, "| %s | %.0f | %d/s | %.1f | %.1f | %.1f | %d/%d |",
                        guarantee.kafkaValue(), floodRate, rate, pct(lat, 0.50), pct(lat, 0.99),
                        lat.length == 0 ? Double.NaN : lat[lat.length - 1] / 1000.0, lat.length, paced);
                System.out.println(line);
                return line;
            }
        }
    }

    static void send(KafkaProducer<String, byte[]> producer, List<String> symbols, int n, Instant base, long[] sourceMillis) {
        for (int i = 0; i < n; i++) {
            long ms = sourceMillis[0]++;
            String symbol = symbols.get((int) (ms % symbols.size()));
            // ingestedAt = the moment of sending: the reader measures from it
            KafkaTestSupport.send(producer, new RawQuote(symbol, 100 + (ms % 1000) / 100.0, null, null, null, null, null, null, null,
                    base.plusMillis(ms), "Bench", Instant.now()));
        }
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1000.0;
    }

    static int intArg(String[] args, String name, int dflt) {
        return Integer.parseInt(stringArg(args, name, String.valueOf(dflt)));
    }

    static String stringArg(String[] args, String name, String dflt) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return dflt;
    }

    /** Reads quotes.latest (read_committed) on its own thread, recording now - ingestedAt per record. */
    static final class LatestReader implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;
        private final Object lock = new Object();
        private long[] latencies = new long[1 << 16];
        private int count;
        private long lastArrivalNanos;

        LatestReader(String bootstrap) {
            KafkaConsumer<String, byte[]> consumer = KafkaTestSupport.consumer(bootstrap, true);
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.QUOTES_LATEST, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(Topics.QUOTES_LATEST, p.partition())).collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            thread = new Thread(() -> {
                try (consumer) {
                    while (running.get()) {
                        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                            Instant now = Instant.now();
                            StockQuote q = JsonCodec.fromBytes(r.value(), StockQuote.class);
                            long micros = Duration.between(q.ingestedAt(), now).toNanos() / 1000;
                            synchronized (lock) {
                                if (count == latencies.length) {
                                    latencies = Arrays.copyOf(latencies, count * 2);
                                }
                                latencies[count++] = micros;
                                lastArrivalNanos = System.nanoTime();
                                lock.notifyAll();
                            }
                        }
                    }
                }
            }, "latest-reader");
            thread.setDaemon(true);
            thread.start();
        }

        void awaitCount(int n, Duration timeout) throws InterruptedException {
            long deadline = System.currentTimeMillis() + timeout.toMillis();
            synchronized (lock) {
                while (count < n && System.currentTimeMillis() < deadline) {
                    lock.wait(100);
                }
            }
        }

        void reset() {
            synchronized (lock) {
                count = 0;
            }
        }

        int count() {
            synchronized (lock) {
                return count;
            }
        }

        long lastArrivalNanos() {
            synchronized (lock) {
                return lastArrivalNanos;
            }
        }

        long[] latenciesMicros() {
            synchronized (lock) {
                return Arrays.copyOf(latencies, count);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(5000);
        }
    }
}

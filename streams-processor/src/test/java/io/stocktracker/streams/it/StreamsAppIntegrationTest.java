package io.stocktracker.streams.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stocktracker.infra.ChildJvm;
import io.stocktracker.infra.EmbeddedKafka;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Topics;
import io.stocktracker.schemas.model.AlertDefinition;
import io.stocktracker.schemas.model.AlertFired;
import io.stocktracker.schemas.model.AlertRule;
import io.stocktracker.schemas.model.Bar;
import io.stocktracker.schemas.model.RawQuote;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.streams.ProcessingGuarantee;
import io.stocktracker.streams.StreamsApp;
import io.stocktracker.streams.StreamsConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The service against a real (embedded, KRaft) broker: one broker for the class, fresh topics per test. */
class StreamsAppIntegrationTest {
    static final Duration WAIT = Duration.ofSeconds(90);
    static EmbeddedKafka kafka;
    final HttpClient http = HttpClient.newHttpClient();
    final List<StreamsApp> apps = new ArrayList<>();
    final List<Process> children = new ArrayList<>();

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @BeforeEach
    void freshTopics() throws Exception {
        KafkaTestSupport.deleteQuoteTopics(kafka.bootstrapServers());
    }

    @AfterEach
    void stopApps() {
        apps.forEach(StreamsApp::close);
        children.forEach(Process::destroyForcibly);
    }

    /** The environment of one test instance, as its container would get it; {@code more} adds key, value pairs. */
    Map<String, String> env(ProcessingGuarantee guarantee, String... more) {
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                StreamsConfig.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                StreamsConfig.APPLICATION_ID, "it-" + UUID.randomUUID().toString().substring(0, 8),
                StreamsConfig.PROCESSING_GUARANTEE, guarantee.kafkaValue(),
                StreamsConfig.STREAMS_HTTP_PORT, "0",
                StreamsConfig.STATE_DIR, Path.of("target", "it-state", UUID.randomUUID().toString()).toAbsolutePath().toString(),
                StreamsConfig.TOPIC_PARTITIONS, "2",
                StreamsConfig.BAR_GRACE_MS, "1000",
                StreamsConfig.COMMIT_INTERVAL_MS, "50",
                StreamsConfig.STATESTORE_CACHE_MAX_BYTES, "0"));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return env;
    }

    StreamsApp start(Map<String, String> env) {
        StreamsApp app = StreamsApp.start(StreamsConfig.fromEnv(env));
        apps.add(app);
        return app;
    }

    HttpResponse<String> get(StreamsApp app, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static RawQuote raw(String symbol, double price, Instant time, Long volume) {
        return new RawQuote(symbol, price, null, null, null, null, volume, null, null, time, "Simulated", Instant.now());
    }

    static StockQuote quote(ConsumerRecord<String, byte[]> r) {
        return JsonCodec.fromBytes(r.value(), StockQuote.class);
    }

    @Test
    void anAlertDefinedOnTheBrokerFiresOnceToAlertsFiredAndIsTombstoned() throws Exception {
        StreamsApp app = start(env(ProcessingGuarantee.EXACTLY_ONCE_V2));
        await().atMost(WAIT).until(() -> app.state() == KafkaStreams.State.RUNNING);
        Instant base = Instant.now().minusSeconds(60);
        AlertRule rule = new AlertRule("a1", "TCS", 105.0, null, null, null, base);
        try (KafkaProducer<String, byte[]> producer = KafkaTestSupport.producer(kafka.bootstrapServers())) {
            producer.send(new ProducerRecord<>(Topics.ALERTS_DEFINITIONS, AlertDefinition.key("alice", "a1"),
                    JsonCodec.toBytes(new AlertDefinition("alice", rule)))).get();
            // the definition reaches the by-symbol table through a repartition topic: quote until it has fired
            double price = 100;
            for (int i = 0; i < 600 && KafkaTestSupport.readUntil(kafka.bootstrapServers(), Topics.ALERTS_FIRED, true,
                    got -> !got.isEmpty(), Duration.ofMillis(200)).isEmpty(); i++) {
                KafkaTestSupport.send(producer, raw("TCS", i % 2 == 0 ? price : 106.0, base.plusMillis(100L * i), null));
                producer.flush();
            }
            for (int i = 0; i < 20; i++) { // well past the first crossing: still fires only once
                KafkaTestSupport.send(producer, raw("TCS", 110.0 + i, Instant.now().minusSeconds(1).plusMillis(i), null));
            }
            producer.flush();
        }
        List<ConsumerRecord<String, byte[]>> tombstones = KafkaTestSupport.readUntil(kafka.bootstrapServers(), Topics.ALERTS_DEFINITIONS,
                true, got -> got.stream().anyMatch(r -> r.value() == null), WAIT);
        assertThat(tombstones).filteredOn(r -> r.value() == null).extracting(ConsumerRecord::key).containsExactly("alice|a1");
        List<ConsumerRecord<String, byte[]>> ticks = KafkaTestSupport.readUntil(kafka.bootstrapServers(), Topics.QUOTES_TICKS, true,
                got -> got.stream().anyMatch(r -> quote(r).price() == 129.0), WAIT);
        assertThat(ticks).isNotEmpty();
        List<ConsumerRecord<String, byte[]>> fired = KafkaTestSupport.readUntil(kafka.bootstrapServers(), Topics.ALERTS_FIRED, true,
                got -> false, Duration.ofSeconds(3));
        assertThat(fired).hasSize(1);
        AlertFired one = JsonCodec.fromBytes(fired.get(0).value(), AlertFired.class);
        assertThat(fired.get(0).key()).isEqualTo("alice|a1");
        assertThat(one.user()).isEqualTo("alice");
        assertThat(one.price()).isEqualTo(106.0);
    }

    @ParameterizedTest
    @EnumSource(ProcessingGuarantee.class)
    void rawQuotesComeOutAsTicksLatestAndClosedBars(ProcessingGuarantee guarantee) throws Exception {
        StreamsApp app = start(env(guarantee));
        await().atMost(WAIT).until(() -> app.state() == KafkaStreams.State.RUNNING);
        HttpResponse<String> health = get(app, "/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"state\":\"RUNNING\"}");

        Instant base = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(10));
        long seqFloor = Instant.now().toEpochMilli() * 1000;
        List<String> symbols = List.of("AAPL", "MSFT", "IBM", "TSLA");
        try (KafkaProducer<String, byte[]> producer = KafkaTestSupport.producer(kafka.bootstrapServers())) {
            for (int i = 0; i < 30; i++) { // one quote per symbol every 5 s of source time: 2.5 minutes
                for (String s : symbols) {
                    KafkaTestSupport.send(producer, raw(s, 100 + i, base.plusSeconds(5L * i), 1000L + 10L * i));
                }
            }
            KafkaTestSupport.send(producer, raw("AAPL", 100, base, 1000L)); // seq 1 again, long after seq 30: out of order
            producer.send(new ProducerRecord<>(Topics.QUOTES_RAW, "AAPL", "not json".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }

        boolean committed = guarantee == ProcessingGuarantee.EXACTLY_ONCE_V2;
        List<ConsumerRecord<String, byte[]>> latest = KafkaTestSupport.readUntil(kafka.bootstrapServers(), Topics.QUOTES_LATEST, committed,
                got -> got.size() >= 120, WAIT);
        Map<String, List<Long>> seqs = latest.stream().collect(Collectors.groupingBy(ConsumerRecord::key, LinkedHashMap::new,
                Collectors.mapping(r -> quote(r).seq(), Collectors.toList())));
        assertThat(seqs).containsOnlyKeys(symbols);
        seqs.values().forEach(s -> {
            assertThat(s.get(0)).as("a new symbol's first seq is the processing-time floor").isGreaterThanOrEqualTo(seqFloor);
            assertThat(s).isEqualTo(java.util.stream.LongStream.range(s.get(0), s.get(0) + 30).boxed().collect(Collectors.toList()));
        });
        StockQuote last = quote(latest.get(latest.size() - 1));
        assertThat(last.processedAt()).isNotNull();
        assertThat(last.open()).isEqualTo(100.0);

        List<ConsumerRecord<String, byte[]>> ticks = KafkaTestSupport.readUntil(kafka.bootstrapServers(), Topics.QUOTES_TICKS, committed,
                got -> got.size() >= 120, WAIT);
        assertThat(ticks).hasSize(120);

        // windows [0,1) and [1,2) minutes are closed by the quotes of minute 2; minute 2 itself stays open
        List<ConsumerRecord<String, byte[]>> bars = KafkaTestSupport.readUntil(kafka.bootstrapServers(), Topics.QUOTES_BARS_1M, committed,
                got -> got.size() >= 8, WAIT);
        Map<String, List<Bar>> bySymbol = bars.stream().map(r -> JsonCodec.fromBytes(r.value(), Bar.class))
                .collect(Collectors.groupingBy(Bar::symbol));
        assertThat(bySymbol).containsOnlyKeys(symbols);
        Bar first = bySymbol.get("MSFT").get(0);
        assertThat(first.windowStart()).isEqualTo(base);
        assertThat(first.count()).isEqualTo(12);
        assertThat(first.open()).isEqualTo(100.0);
        assertThat(first.close()).isEqualTo(111.0);
        assertThat(first.volume()).isEqualTo(110); // increments after the baseline quote: 11 x 10
        assertThat(bySymbol.get("MSFT").get(1).count()).isEqualTo(12);

        List<ConsumerRecord<String, byte[]>> dead = KafkaTestSupport.readUntil(kafka.bootstrapServers(), Topics.QUOTES_RAW_DLQ, committed,
                got -> !got.isEmpty(), WAIT);
        assertThat(dead).hasSize(1);
        assertThat(new String(dead.get(0).headers().lastHeader(Topics.DLQ_REASON_HEADER).value(), StandardCharsets.UTF_8))
                .isEqualTo("undecodable");

        String metrics = get(app, "/metrics").body();
        assertThat(metrics).contains("quotes_dropped_total{reason=\"out_of_order\",service=\"streams-processor\"} 1.0");
        assertThat(metrics).contains("quotes_dropped_total{reason=\"undecodable\",service=\"streams-processor\"} 1.0");
        assertThat(metrics).contains("quotes_accepted_total{service=\"streams-processor\"} 120.0");
        assertThat(metrics).contains("kafka_stream_"); // Kafka Streams client metrics through Micrometer's binder
    }

    /**
     * The first instance runs in a child JVM and is killed with SIGKILL mid-stream (an open transaction,
     * no commit, no leave-group); the replacement starts in this JVM with the same application id, state
     * directory and group.instance.id. Read with read_committed, quotes.latest must hold every seq of
     * every symbol exactly once, in order, and each seq must be the quote produced in that position.
     */
    @Test
    void killedMidStreamAndRestartedUnderExactlyOnceLeavesNoDuplicateAndNoGapInLatest() throws Exception {
        Map<String, String> config = env(ProcessingGuarantee.EXACTLY_ONCE_V2, StreamsConfig.GROUP_INSTANCE_ID, "streams-it-0");
        // the producer starts before the child JVM is up; the child finds the topics there (creation is idempotent)
        StreamsConfig typed = StreamsConfig.fromEnv(config);
        io.stocktracker.streams.admin.TopicInitializer.ensureTopics(kafka.bootstrapServers(), typed.topicPartitions(),
                typed.replicationFactor(), Duration.ofSeconds(30));
        Process child = startChild(config);
        children.add(child);

        List<String> symbols = List.of("AAPL", "MSFT", "IBM", "TSLA");
        Map<String, Integer> produced = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Instant base = Instant.now().minus(Duration.ofHours(1));
        Thread producerThread = new Thread(() -> {
            try (KafkaProducer<String, byte[]> producer = KafkaTestSupport.producer(kafka.bootstrapServers())) {
                for (int i = 0; !stop.get() && i < 20_000; i++) {
                    for (String s : symbols) {
                        KafkaTestSupport.send(producer, raw(s, 100 + i * 0.01, base.plusMillis(100L * i), null));
                        produced.merge(s, 1, Integer::sum);
                    }
                    producer.flush();
                    Thread.sleep(10);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "quote-producer");
        producerThread.start();
        try {
            await().atMost(WAIT).until(() -> KafkaTestSupport.readUntil(kafka.bootstrapServers(), Topics.QUOTES_LATEST, true,
                    got -> got.size() >= 200, Duration.ofSeconds(2)).size() >= 200);
            child.destroyForcibly().waitFor();
            int producedAtKill = produced.values().stream().mapToInt(Integer::intValue).sum();

            StreamsApp replacement = start(config);
            await().atMost(WAIT).until(() -> replacement.state() == KafkaStreams.State.RUNNING);
            // let the replacement process fresh input too, then stop producing
            await().atMost(WAIT).until(() -> produced.values().stream().mapToInt(Integer::intValue).sum() > producedAtKill + 200);
        } finally {
            stop.set(true);
            producerThread.join();
        }

        Map<String, Integer> expected = Map.copyOf(produced);
        List<ConsumerRecord<String, byte[]>> latest = KafkaTestSupport.readUntil(kafka.bootstrapServers(), Topics.QUOTES_LATEST, true,
                got -> lastSeqs(got).equals(expected), WAIT);
        Map<String, List<StockQuote>> bySymbol = latest.stream().map(StreamsAppIntegrationTest::quote)
                .collect(Collectors.groupingBy(StockQuote::symbol));
        assertThat(bySymbol).containsOnlyKeys(symbols);
        for (String s : symbols) {
            List<StockQuote> quotes = bySymbol.get(s);
            long first = quotes.get(0).seq();
            assertThat(quotes).extracting(StockQuote::seq)
                    .as(s + ": every seq once, in order")
                    .isEqualTo(java.util.stream.LongStream.range(first, first + expected.get(s)).boxed().collect(Collectors.toList()));
            for (StockQuote q : quotes) {
                assertThat(q.timestamp()).as(s + " seq " + q.seq() + " is the quote produced in that position")
                        .isEqualTo(base.plusMillis(100L * (q.seq() - first)));
            }
        }
    }

    /** An idle symbol's tombstone reaches quotes.latest under read_committed; the symbol comes back with a higher seq. */
    @Test
    void anIdleSymbolIsTombstonedOnLatestAndComesBackWithAHigherSeq() throws Exception {
        StreamsApp app = start(env(ProcessingGuarantee.EXACTLY_ONCE_V2, StreamsConfig.SYMBOL_IDLE_RETENTION, "PT3S"));
        await().atMost(WAIT).until(() -> app.state() == KafkaStreams.State.RUNNING);
        Instant t = Instant.now().minusSeconds(60);
        try (KafkaProducer<String, byte[]> producer = KafkaTestSupport.producer(kafka.bootstrapServers())) {
            KafkaTestSupport.send(producer, raw("GONE", 10, t, null));
            producer.flush();
            List<ConsumerRecord<String, byte[]>> evicted = KafkaTestSupport.readUntil(kafka.bootstrapServers(), Topics.QUOTES_LATEST, true,
                    got -> got.stream().anyMatch(r -> r.value() == null), WAIT);
            assertThat(evicted).extracting(ConsumerRecord::key).containsExactly("GONE", "GONE");
            assertThat(evicted.get(1).value()).isNull();
            long before = quote(evicted.get(0)).seq();

            KafkaTestSupport.send(producer, raw("GONE", 11, t.plusSeconds(1), null));
            producer.flush();
            List<ConsumerRecord<String, byte[]>> back = KafkaTestSupport.readUntil(kafka.bootstrapServers(), Topics.QUOTES_LATEST, true,
                    got -> got.size() >= 3, WAIT);
            assertThat(quote(back.get(2)).seq()).isGreaterThan(before);
        }
    }

    @Test
    void sigtermClosesTheServiceGracefully() throws Exception {
        Map<String, String> config = env(ProcessingGuarantee.AT_LEAST_ONCE);
        Process child = startChild(config);
        children.add(child);
        Path log = childLog(config);
        await().atMost(WAIT).until(() -> java.nio.file.Files.exists(log)
                && java.nio.file.Files.readString(log).contains("Kafka Streams state REBALANCING -> RUNNING"));

        child.destroy(); // SIGTERM
        assertThat(child.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("exited").isTrue();
        String output = java.nio.file.Files.readString(log);
        assertThat(output).contains("stopping streams-processor").contains("PENDING_SHUTDOWN -> NOT_RUNNING")
                .contains("streams-processor stopped");
    }

    /** Symbol -> how many seqs its last record is from its first one (1 = the first): the count of quotes seen if none is missing. */
    static Map<String, Integer> lastSeqs(List<ConsumerRecord<String, byte[]>> records) {
        Map<String, Long> first = new java.util.HashMap<>();
        Map<String, Integer> last = new java.util.HashMap<>();
        records.forEach(r -> {
            long seq = quote(r).seq();
            long from = first.computeIfAbsent(r.key(), k -> seq);
            last.put(r.key(), (int) (seq - from + 1));
        });
        return last;
    }

    /** As its image runs it: the module's jar and runtime dependencies only, so the shipped logback.xml applies. */
    @Test
    void startedAsItsImageRunsItLogsAtInfoWithNoDebugLine() throws Exception {
        Path out = Path.of("target", "streams-logging.log");
        try (ChildJvm child = ChildJvm.start(StreamsApp.class, List.of(), Map.of(
                StreamsConfig.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                StreamsConfig.APPLICATION_ID, "logging-" + UUID.randomUUID().toString().substring(0, 8),
                StreamsConfig.STREAMS_HTTP_PORT, "0",
                StreamsConfig.STATE_DIR, Path.of(System.getProperty("java.io.tmpdir"), "streams-logging-" + UUID.randomUUID()).toString()),
                out)) {
            child.awaitOutput("REBALANCING -> RUNNING", WAIT);
            child.stop(Duration.ofSeconds(30));
            String log = child.output();
            assertThat(log).contains(" INFO ").contains("starting streams-processor: StreamsConfig[").contains("streams-processor stopped");
            assertThat(log).doesNotContainPattern("\\b(DEBUG|TRACE)\\b");
        }
    }

    static Path childLog(Map<String, String> env) {
        return Path.of("target", "it-child-" + env.get(StreamsConfig.APPLICATION_ID) + ".log");
    }

    /** Runs StreamsApp.main in its own JVM, configured through the environment like in production. */
    static Process startChild(Map<String, String> env) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", System.getProperty("java.class.path"), StreamsApp.class.getName());
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(childLog(env).toFile());
        return pb.start();
    }
}

package io.stocktracker.launcher.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.infra.EmbeddedKafka;
import io.stocktracker.infra.TopicAdmin;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Topics;
import io.stocktracker.schemas.model.RawQuote;
import io.stocktracker.schemas.model.StockQuote;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Against a real broker: 30 raw quotes one second apart over three symbols (three partitions), one undecodable. */
class ReplayTest {
    private static final List<String> SYMBOLS = List.of("AAPL", "MSFT", "TSLA");
    private static final Instant BASE = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void produce() throws Exception {
        kafka = EmbeddedKafka.start();
        TopicAdmin.ensureTopics(kafka.bootstrapServers(), Topics.configs(), 3);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 30; i++) {
                String symbol = SYMBOLS.get(i % 3);
                Instant at = BASE.plusSeconds(i);
                RawQuote raw = new RawQuote(symbol, 100 + i, null, null, null, null, 10L * i, null, null, at, "Test", at);
                producer.send(new ProducerRecord<>(Topics.QUOTES_RAW, null, at.toEpochMilli(), symbol, JsonCodec.toBytes(raw)));
                StockQuote tick = new StockQuote(symbol, 100 + i, 1.0, 1.0, 10L * i, null, null, null, 99.0 + i, at, "Test",
                        (long) i, at, at.plusMillis(5));
                producer.send(new ProducerRecord<>(Topics.QUOTES_TICKS, null, at.toEpochMilli(), symbol, JsonCodec.toBytes(tick)));
            }
            producer.send(new ProducerRecord<>(Topics.QUOTES_RAW, null, BASE.plusSeconds(30).toEpochMilli(), "AAPL",
                    "{not json".getBytes(StandardCharsets.UTF_8)));
            producer.flush();
        }
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    private Replay.Result replay(ReplayTopic topic, Instant from, Instant to, Set<String> symbols, ReplayFormat format,
                                 ByteArrayOutputStream out) {
        return Replay.run(new Replay.Options(kafka.bootstrapServers(), topic, from, to, symbols, format), out, null);
    }

    @Test
    void replaysOnlyTheRequestedTimeRange() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Replay.Result r = replay(ReplayTopic.RAW, BASE.plusSeconds(10), BASE.plusSeconds(20), Set.of(), ReplayFormat.JSONL, out);
        List<RawQuote> quotes = out.toString(StandardCharsets.UTF_8).lines().map(l -> JsonCodec.fromJson(l, RawQuote.class)).toList();
        assertThat(quotes).hasSize(10);
        assertThat(quotes).allSatisfy(q -> assertThat(q.timestamp()).isBetween(BASE.plusSeconds(10), BASE.plusSeconds(19)));
        assertThat(r.read()).isEqualTo(10);
        assertThat(r.written()).isEqualTo(10);
    }

    @Test
    void filtersBySymbolAndWritesCsvWithAHeaderRow() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Replay.Result r = replay(ReplayTopic.RAW, BASE, BASE.plusSeconds(30), Set.of("MSFT"), ReplayFormat.CSV, out);
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).startsWith("symbol,price,open,high,low,previousClose,volume,change,changePercent,timestamp,source,ingestedAt");
        assertThat(lines).hasSize(11);
        assertThat(lines.subList(1, 11)).allSatisfy(l -> assertThat(l).startsWith("MSFT,"));
        assertThat(r.filtered()).isEqualTo(20);
    }

    @Test
    void withoutAnEndItReadsToTheEndAndSkipsUndecodableRecords() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Replay.Result r = replay(ReplayTopic.RAW, BASE.plusSeconds(25), null, Set.of(), ReplayFormat.JSONL, out);
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).hasSize(5);
        assertThat(r.read()).isEqualTo(6);
        assertThat(r.invalid()).isEqualTo(1);
    }

    @Test
    void ticksReplayAsStockQuotesWithTheirSeq() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        replay(ReplayTopic.TICKS, BASE.plusSeconds(27), null, Set.of("TSLA"), ReplayFormat.JSONL, out);
        List<StockQuote> ticks = out.toString(StandardCharsets.UTF_8).lines().map(l -> JsonCodec.fromJson(l, StockQuote.class)).toList();
        assertThat(ticks).extracting(StockQuote::seq).containsExactly(29L);
    }

    @Test
    void aRangeAfterTheLastRecordWritesNothing() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Replay.Result r = replay(ReplayTopic.RAW, Instant.now().plusSeconds(60), null, Set.of(), ReplayFormat.JSONL, out);
        assertThat(out.size()).isZero();
        assertThat(r.read()).isZero();
    }

    @Test
    void theCommandWritesAFileAndReportsOnStderr(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("msft.csv");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ReplayCommand command = new ReplayCommand().withOutput(new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        int rc = new CommandLine(command).execute("--bootstrap", kafka.bootstrapServers(), "--topic", "quotes.raw",
                "--from", BASE.toString(), "--to", String.valueOf(BASE.plusSeconds(6).toEpochMilli()), "--symbols", "msft,aapl",
                "--format", "csv", "--output", file.toString());
        assertThat(rc).isZero();
        assertThat(Files.readAllLines(file)).hasSize(1 + 4); // AAPL at 0,3 and MSFT at 1,4
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("100%").contains("4 written");
    }

    @Test
    void badArgumentsAreRejectedWithAClearMessage() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cl = new CommandLine(new ReplayCommand());
        cl.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
        int rc = cl.execute("--bootstrap", kafka.bootstrapServers(), "--from", "yesterday-ish");
        assertThat(rc).isNotZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("not a time");
    }
}

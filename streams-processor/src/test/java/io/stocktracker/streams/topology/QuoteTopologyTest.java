package io.stocktracker.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Topics;
import io.stocktracker.schemas.model.Bar;
import io.stocktracker.schemas.model.RawQuote;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.streams.StreamsConfig;
import io.stocktracker.streams.enrich.DropReason;
import io.stocktracker.streams.metrics.QuoteMetrics;
import io.stocktracker.streams.serde.JsonSerde;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QuoteTopologyTest {
    /** The driver's wall clock: after every source time used below, so none is "in the future". */
    static final Instant WALL_CLOCK = Instant.parse("2024-01-12T00:00:00Z");
    /** A symbol's first seq: the processing time floor (epoch millis x 1000), see QuoteEnricher.firstSeq. */
    static final long FIRST_SEQ = WALL_CLOCK.toEpochMilli() * 1000;

    Path stateDir;
    StreamsConfig config;
    QuoteMetrics metrics;
    TopologyTestDriver driver;
    TestInputTopic<String, byte[]> raw;
    TestOutputTopic<String, StockQuote> ticks;
    TestOutputTopic<String, StockQuote> latest;
    TestOutputTopic<String, Bar> bars;
    TestOutputTopic<String, byte[]> dlq;

    @BeforeEach
    void startDriver() {
        stateDir = Path.of("target", "ttd-state", UUID.randomUUID().toString());
        config = config();
        openDriver();
    }

    StreamsConfig config(String... more) {
        Map<String, String> env = new java.util.HashMap<>(Map.of(StreamsConfig.STATE_DIR, stateDir.toString(),
                StreamsConfig.BAR_GRACE_MS, "10000", StreamsConfig.STATESTORE_CACHE_MAX_BYTES, "0"));
        for (int i = 0; i < more.length; i += 2) {
            env.put(more[i], more[i + 1]);
        }
        return StreamsConfig.fromEnv(env);
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    void openDriver() {
        metrics = new QuoteMetrics(new SimpleMeterRegistry());
        Properties props = config.kafkaStreamsProperties();
        props.put(org.apache.kafka.streams.StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(QuoteTopology.build(config, metrics), props, WALL_CLOCK);
        raw = driver.createInputTopic(Topics.QUOTES_RAW, new StringSerializer(), new ByteArraySerializer());
        ticks = driver.createOutputTopic(Topics.QUOTES_TICKS, new StringDeserializer(), JsonSerde.of(StockQuote.class).deserializer());
        latest = driver.createOutputTopic(Topics.QUOTES_LATEST, new StringDeserializer(), JsonSerde.of(StockQuote.class).deserializer());
        bars = driver.createOutputTopic(Topics.QUOTES_BARS_1M, new StringDeserializer(), JsonSerde.of(Bar.class).deserializer());
        dlq = driver.createOutputTopic(Topics.QUOTES_RAW_DLQ, new StringDeserializer(), new ByteArrayDeserializer());
    }

    static RawQuote quote(String symbol, double price, String time) {
        return new RawQuote(symbol, price, null, null, null, null, null, null, null, Instant.parse(time), "Simulated",
                Instant.parse(time).plusMillis(50));
    }

    static RawQuote withProvider(RawQuote q, Double open, Double high, Double low, Double previousClose, Long volume) {
        return new RawQuote(q.symbol(), q.price(), open, high, low, previousClose, volume, null, null, q.timestamp(), q.source(), q.ingestedAt());
    }

    static RawQuote withVolume(RawQuote q, long volume) {
        return withProvider(q, null, null, null, null, volume);
    }

    void send(RawQuote q) {
        raw.pipeInput(q.symbol(), JsonCodec.toBytes(q));
    }

    void sendRaw(String key, String json) {
        raw.pipeInput(key, json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    static String header(TestRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void acceptedQuoteIsEnrichedAndPublishedToTicksAndLatest() {
        send(withProvider(quote("RELIANCE", 2450.5, "2024-01-10T10:30:00Z"), 2445.0, 2460.0, 2440.0, 2438.2, 1_234_567L));

        StockQuote q = latest.readValue();
        assertThat(ticks.readValuesToList()).containsExactly(q);
        assertThat(q.symbol()).isEqualTo("RELIANCE");
        assertThat(q.seq()).isEqualTo(FIRST_SEQ);
        assertThat(q.previousClose()).isEqualTo(2438.2);
        assertThat(q.open()).isEqualTo(2445.0);
        assertThat(q.high()).isEqualTo(2460.0);
        assertThat(q.low()).isEqualTo(2440.0);
        assertThat(q.volume()).isEqualTo(1_234_567L);
        assertThat(q.change()).isEqualTo(12.3);
        assertThat(q.changePercent()).isEqualTo(0.5045); // 12.3 / 2438.2 * 100 = 0.504470...
        assertThat(q.timestamp()).isEqualTo(Instant.parse("2024-01-10T10:30:00Z"));
        assertThat(q.ingestedAt()).isEqualTo(Instant.parse("2024-01-10T10:30:00.050Z"));
        assertThat(q.processedAt()).isEqualTo(WALL_CLOCK);
        assertThat(q.source()).isEqualTo("Simulated");
        assertThat(metrics.registry().get(QuoteMetrics.ACCEPTED).counter().count()).isEqualTo(1.0);
    }

    @Test
    void lowerCaseSymbolIsNormalizedWhenTheKeyIsTheNormalizedSymbol() {
        raw.pipeInput("AAPL", JsonCodec.toBytes(quote(" aapl ", 190, "2024-01-10T15:00:00Z")));
        assertThat(latest.readValue().symbol()).isEqualTo("AAPL");
    }

    @Test
    void identicalFingerprintIsDroppedAsDuplicateButACorrectionAtTheSameTimeIsAccepted() {
        RawQuote first = withVolume(quote("AAPL", 190.0, "2024-01-10T15:00:00Z"), 1000);
        send(first);
        send(first);
        send(new RawQuote("AAPL", 190.0, null, null, null, null, 1000L, null, null, first.timestamp(), "TwelveData", Instant.now()));
        send(withVolume(quote("AAPL", 190.5, "2024-01-10T15:00:00Z"), 1000));

        assertThat(ticks.readValuesToList()).extracting(StockQuote::seq, StockQuote::price)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(FIRST_SEQ, 190.0), org.assertj.core.groups.Tuple.tuple(FIRST_SEQ + 1, 190.5));
        assertThat(metrics.droppedCount(DropReason.DUPLICATE)).isEqualTo(2.0);
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void outOfOrderSourceTimestampIsDroppedAndCounted() {
        send(quote("MSFT", 400, "2024-01-10T15:00:10Z"));
        send(quote("MSFT", 399, "2024-01-10T15:00:05Z"));
        send(quote("MSFT", 401, "2024-01-10T15:00:20Z"));

        assertThat(ticks.readValuesToList()).extracting(StockQuote::price, StockQuote::seq)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(400.0, FIRST_SEQ), org.assertj.core.groups.Tuple.tuple(401.0, FIRST_SEQ + 1));
        assertThat(metrics.droppedCount(DropReason.OUT_OF_ORDER)).isEqualTo(1.0);
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void badInputGoesToTheDeadLetterTopicWithItsReasonAndTheAppKeepsProcessing() {
        String t = "\"timestamp\":\"2024-01-10T15:00:00Z\"";
        sendRaw("AAPL", "{not json");
        sendRaw("AAPL", null);
        sendRaw("AAPL", "{\"symbol\":\"AAPL\",\"price\":\"abc\"," + t + "}");
        send(quote("AAPL", 0, "2024-01-10T15:00:00Z"));
        send(quote("AAPL", -3, "2024-01-10T15:00:00Z"));
        send(quote("AAPL", Double.NaN, "2024-01-10T15:00:00Z"));
        send(quote("AAPL", Double.POSITIVE_INFINITY, "2024-01-10T15:00:00Z"));
        sendRaw("", "{\"symbol\":\"\",\"price\":1," + t + "}");
        sendRaw("AA PL", "{\"symbol\":\"AA PL\",\"price\":1," + t + "}");
        sendRaw("MSFT", "{\"symbol\":\"AAPL\",\"price\":1," + t + "}");
        sendRaw(null, "{\"symbol\":\"AAPL\",\"price\":1," + t + "}");
        sendRaw("AAPL", "{\"symbol\":\"AAPL\",\"price\":1}");
        send(withProvider(quote("AAPL", 10, "2024-01-10T15:00:00Z"), Double.NaN, null, null, null, null));
        send(withProvider(quote("AAPL", 10, "2024-01-10T15:00:00Z"), null, null, null, null, -5L));
        send(quote("AAPL", 10, "2024-01-13T00:00:00Z")); // a day ahead of the wall clock
        send(quote("AAPL", 191.25, "2024-01-10T15:00:00Z"));

        List<TestRecord<String, byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).extracting(r -> header(r, Topics.DLQ_REASON_HEADER)).containsExactly(
                "undecodable", "undecodable", "undecodable",
                "invalid_price", "invalid_price", "invalid_price", "invalid_price",
                "invalid_symbol", "invalid_symbol", "key_mismatch", "key_mismatch", "missing_timestamp",
                "invalid_field", "invalid_field", "future_timestamp");
        assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
        assertThat(dead.get(0).key()).isEqualTo("AAPL");
        assertThat(header(dead.get(2), DeadLetterHeaders.DETAIL)).contains("price");
        assertThat(header(dead.get(0), DeadLetterHeaders.ORIGIN)).startsWith(Topics.QUOTES_RAW + "-0@");

        StockQuote accepted = latest.readValue();
        assertThat(accepted.price()).isEqualTo(191.25);
        assertThat(accepted.seq()).isEqualTo(FIRST_SEQ);
        assertThat(metrics.droppedCount(DropReason.UNDECODABLE)).isEqualTo(3.0);
        assertThat(metrics.droppedCount(DropReason.INVALID_PRICE)).isEqualTo(4.0);
        assertThat(metrics.droppedCount(DropReason.KEY_MISMATCH)).isEqualTo(2.0);
        assertThat(metrics.registry().get(QuoteMetrics.DEAD_LETTERED).counter().count()).isEqualTo(15.0);
    }

    @Test
    void previousCloseRollsOverAtTheTradingDayChangeInTheExchangeZone() {
        send(quote("IBM", 100.0, "2024-01-10T15:00:00Z"));  // 10:00 New York
        send(quote("IBM", 104.0, "2024-01-10T18:00:00Z"));
        send(quote("IBM", 99.0, "2024-01-10T19:00:00Z"));
        send(quote("IBM", 105.0, "2024-01-11T03:00:00Z"));  // 22:00 New York on the 10th: already the 11th in UTC
        send(quote("IBM", 110.0, "2024-01-11T14:31:00Z"));  // 09:31 New York on the 11th
        send(quote("IBM", 112.0, "2024-01-11T15:00:00Z"));

        List<StockQuote> out = ticks.readValuesToList();
        assertThat(out.get(0).previousClose()).isNull();
        assertThat(out.get(0).change()).isNull();
        assertThat(out.get(0).changePercent()).isNull();
        assertThat(out.get(3).open()).isEqualTo(100.0);
        assertThat(out.get(3).high()).isEqualTo(105.0);
        assertThat(out.get(3).low()).isEqualTo(99.0);
        assertThat(out.get(3).previousClose()).as("no roll at the UTC midnight").isNull();

        StockQuote firstOfDay = out.get(4);
        assertThat(firstOfDay.previousClose()).isEqualTo(105.0);
        assertThat(firstOfDay.open()).isEqualTo(110.0);
        assertThat(firstOfDay.high()).isEqualTo(110.0);
        assertThat(firstOfDay.low()).isEqualTo(110.0);
        assertThat(firstOfDay.change()).isEqualTo(5.0);
        assertThat(firstOfDay.changePercent()).isEqualTo(4.7619);
        StockQuote next = out.get(5);
        assertThat(next.previousClose()).isEqualTo(105.0);
        assertThat(next.open()).isEqualTo(110.0);
        assertThat(next.high()).isEqualTo(112.0);
        assertThat(next.change()).isEqualTo(7.0);
        assertThat(next.changePercent()).isEqualTo(6.6667);
    }

    @Test
    void providerPreviousCloseWinsOverTheTradingDayState() {
        send(quote("IBM", 100.0, "2024-01-10T15:00:00Z"));
        send(withProvider(quote("IBM", 101.0, "2024-01-11T15:00:00Z"), null, null, null, 98.0, null));
        send(quote("IBM", 102.0, "2024-01-11T15:01:00Z")); // the fallback provider gives no previousClose

        List<StockQuote> out = ticks.readValuesToList();
        assertThat(out.get(1).previousClose()).isEqualTo(98.0);
        assertThat(out.get(1).change()).isEqualTo(3.0);
        assertThat(out.get(2).previousClose()).as("remembered for the rest of the day").isEqualTo(98.0);
        assertThat(out.get(2).changePercent()).isEqualTo(4.0816);
    }

    @Test
    void previousCloseOfZeroGivesAChangeButNoPercentage() {
        send(withProvider(quote("ZERO", 1.5, "2024-01-10T15:00:00Z"), null, null, null, 0.0, null));

        TestRecord<String, StockQuote> record = latest.readRecord();
        assertThat(record.value().change()).isEqualTo(1.5);
        assertThat(record.value().changePercent()).isNull();
        assertThat(record.value().previousClose()).isEqualTo(0.0);
        assertThat(ticks.readValue().changePercent()).isNull();
    }

    @Test
    void changeIsRoundedToFourDecimals() {
        send(withProvider(quote("PENNY", 0.123456, "2024-01-10T15:00:00Z"), null, null, null, 0.1, null));
        StockQuote q = latest.readValue();
        assertThat(q.change()).isEqualTo(0.0235);
        assertThat(q.changePercent()).isEqualTo(23.456);
    }

    @Test
    void symbolStateIsChangeloggedSoSeqSurvivesARestart() {
        // TopologyTestDriver deletes its state directory on close and cannot restore from a changelog, so
        // the restart itself is shown against a real broker (StreamsAppIT); here: every accepted quote
        // writes the symbol's next seq to the store's changelog topic, what a restarted task restores from
        send(quote("AAPL", 190, "2024-01-10T15:00:00Z"));
        send(quote("AAPL", 191, "2024-01-10T15:00:01Z"));
        send(quote("AAPL", 191, "2024-01-10T15:00:01Z"));
        send(quote("MSFT", 400, "2024-01-10T15:00:01Z"));

        TestOutputTopic<String, io.stocktracker.streams.enrich.SymbolState> changelog = driver.createOutputTopic(
                config.applicationId() + "-" + QuoteTopology.SYMBOL_STATE_STORE + "-changelog",
                new StringDeserializer(), JsonSerde.of(io.stocktracker.streams.enrich.SymbolState.class).deserializer());
        var lastByKey = changelog.readKeyValuesToMap();
        assertThat(lastByKey.get("AAPL").seq()).isEqualTo(FIRST_SEQ + 1);
        assertThat(lastByKey.get("AAPL").lastTimestamp()).isEqualTo(Instant.parse("2024-01-10T15:00:01Z"));
        assertThat(lastByKey.get("MSFT").seq()).isEqualTo(FIRST_SEQ);
        assertThat(driver.<String, io.stocktracker.streams.enrich.SymbolState>getKeyValueStore(QuoteTopology.SYMBOL_STATE_STORE)
                .get("AAPL").lastPrice()).isEqualTo(191.0);
    }

    @Test
    void aSymbolWithoutAcceptedQuotesForTheRetentionLeavesTheStoreAndGetsATombstoneOnLatest() {
        driver.close();
        config = config(StreamsConfig.SYMBOL_IDLE_RETENTION, "PT1H");
        openDriver();
        var store = driver.<String, io.stocktracker.streams.enrich.SymbolState>getKeyValueStore(QuoteTopology.SYMBOL_STATE_STORE);
        send(quote("IDLE", 50, "2024-01-11T20:00:00Z"));
        send(quote("BUSY", 60, "2024-01-11T20:00:00Z"));
        long idleSeq = latest.readValuesToList().get(0).seq();
        ticks.readValuesToList();

        driver.advanceWallClockTime(Duration.ofMinutes(40));
        send(quote("BUSY", 61, "2024-01-11T21:00:00Z"));
        // a rejected quote is no activity: a duplicate does not keep IDLE alive
        send(quote("IDLE", 50, "2024-01-11T20:00:00Z"));
        assertThat(latest.readValuesToList()).extracting(StockQuote::symbol).containsExactly("BUSY");
        driver.advanceWallClockTime(Duration.ofMinutes(30));

        List<TestRecord<String, StockQuote>> evicted = latest.readRecordsToList();
        assertThat(evicted).extracting(TestRecord::key).containsExactly("IDLE");
        assertThat(evicted.get(0).value()).as("a tombstone, so compaction removes the symbol").isNull();
        assertThat(store.get("IDLE")).isNull();
        assertThat(store.get("BUSY")).as("active 30 minutes ago: kept").isNotNull();
        assertThat(ticks.readValuesToList()).as("ticks carry quotes only, never the eviction")
                .extracting(StockQuote::symbol).containsExactly("BUSY");
        assertThat(metrics.registry().get(QuoteMetrics.SYMBOLS_EVICTED).counter().count()).isEqualTo(1.0);

        driver.advanceWallClockTime(Duration.ofMinutes(20));
        assertThat(latest.isEmpty()).as("nothing left to evict twice").isTrue();

        // someone watches IDLE again: its new state starts above every seq it handed out before
        send(quote("IDLE", 52, "2024-01-12T01:00:00Z"));
        StockQuote back = latest.readValue();
        assertThat(back.seq()).isGreaterThan(idleSeq);
        assertThat(back.previousClose()).as("the trading-day state went with the eviction").isNull();
    }

    @Test
    void barIsEmittedOnceWhenItsWindowClosesAfterTheGracePeriod() {
        send(withVolume(quote("AAPL", 190.0, "2024-01-10T15:00:05Z"), 1000)); // baseline volume
        send(withVolume(quote("AAPL", 192.0, "2024-01-10T15:00:20Z"), 1500));
        send(withVolume(quote("AAPL", 189.0, "2024-01-10T15:00:40Z"), 1700));
        send(withVolume(quote("AAPL", 191.0, "2024-01-10T15:00:59Z"), 2000));
        send(withVolume(quote("AAPL", 193.0, "2024-01-10T15:01:05Z"), 2100)); // next window, still within grace
        assertThat(bars.isEmpty()).as("window [15:00, 15:01) may still get late quotes").isTrue();

        send(withVolume(quote("AAPL", 194.0, "2024-01-10T15:01:10Z"), 2200)); // stream time reaches end + grace

        List<TestRecord<String, Bar>> out = bars.readRecordsToList();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).key()).isEqualTo("AAPL");
        assertThat(out.get(0).value()).isEqualTo(new Bar("AAPL", Instant.parse("2024-01-10T15:00:00Z"), Instant.parse("2024-01-10T15:01:00Z"),
                190.0, 192.0, 189.0, 191.0, 1000, 4));
        assertThat(metrics.registry().get(QuoteMetrics.BARS_EMITTED).counter().count()).isEqualTo(1.0);
    }

    @Test
    void lateQuoteWithinTheGracePeriodIsInItsBarAndOneAfterItIsCountedAndLeftOut() {
        send(quote("AAPL", 190.0, "2024-01-10T15:00:10Z"));
        send(quote("MSFT", 400.0, "2024-01-10T15:01:05Z"));  // stream time 15:01:05: AAPL's window still open (grace 10 s)
        send(quote("AAPL", 195.0, "2024-01-10T15:00:50Z"));  // late, within grace
        send(quote("MSFT", 401.0, "2024-01-10T15:01:20Z"));  // closes [15:00, 15:01)
        send(quote("AAPL", 185.0, "2024-01-10T15:00:55Z"));  // after the grace period

        List<Bar> closed = bars.readValuesToList();
        assertThat(closed).hasSize(1);
        assertThat(closed.get(0).symbol()).isEqualTo("AAPL");
        assertThat(closed.get(0).count()).isEqualTo(2);
        assertThat(closed.get(0).open()).isEqualTo(190.0);
        assertThat(closed.get(0).close()).isEqualTo(195.0);
        assertThat(closed.get(0).high()).isEqualTo(195.0);
        assertThat(metrics.registry().get(QuoteMetrics.BARS_LATE).counter().count()).isEqualTo(1.0);
        // late for its bar, but still a valid tick of its own
        assertThat(ticks.readValuesToList()).extracting(StockQuote::price).contains(185.0);

        send(quote("MSFT", 402.0, "2024-01-10T15:02:30Z"));
        assertThat(bars.readValuesToList()).extracting(Bar::symbol, Bar::count)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("MSFT", 2L));
    }

    @Test
    void lastBarBeforeAQuietPeriodIsPublishedAsTheWallClockMovesOn() {
        send(quote("AAPL", 190.0, "2024-01-10T20:59:10Z"));
        send(quote("AAPL", 191.0, "2024-01-10T20:59:40Z")); // the market closes; nothing else arrives

        driver.advanceWallClockTime(Duration.ofSeconds(29)); // stream time 21:00:09: window end + grace not reached
        assertThat(bars.isEmpty()).isTrue();
        driver.advanceWallClockTime(Duration.ofSeconds(2));  // 21:00:11 > 21:00:00 + 10 s grace

        assertThat(bars.readValuesToList()).extracting(Bar::symbol, Bar::windowStart, Bar::count, Bar::close)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("AAPL", Instant.parse("2024-01-10T20:59:00Z"), 2L, 191.0));
        send(quote("AAPL", 189.0, "2024-01-10T20:59:50Z")); // a straggler: a tick, but its bar is already out
        assertThat(bars.isEmpty()).isTrue();
        assertThat(metrics.registry().get(QuoteMetrics.BARS_LATE).counter().count()).isEqualTo(1.0);
        assertThat(ticks.readValuesToList()).extracting(StockQuote::price).containsExactly(190.0, 191.0, 189.0);
    }

    @Test
    void wallClockDoesNotCloseBarsWhileQuotesKeepArriving() {
        for (int i = 0; i < 12; i++) { // a replay slower than real time: 5 s of source time every 8 s of wall time
            send(quote("IBM", 100.0 + i, Instant.parse("2024-01-10T15:00:00Z").plusSeconds(5L * i).toString()));
            driver.advanceWallClockTime(Duration.ofSeconds(8));
        }
        assertThat(bars.isEmpty()).as("the window [15:00, 15:01) is still open in source time").isTrue();
        assertThat(metrics.registry().get(QuoteMetrics.BARS_LATE).counter().count()).isZero();
    }

    @Test
    void quotesArePublishedWithoutInfinityOrNaN() {
        send(withProvider(quote("ZERO", 2.0, "2024-01-10T15:00:00Z"), null, null, null, 0.0, null));
        TestOutputTopic<String, byte[]> rawLatest = driver.createOutputTopic(Topics.QUOTES_TICKS, new StringDeserializer(), new ByteArrayDeserializer());
        String json = new String(rawLatest.readValue(), StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("Infinity").doesNotContain("NaN").doesNotContain("changePercent");
    }
}

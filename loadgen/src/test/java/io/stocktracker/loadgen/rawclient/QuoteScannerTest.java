package io.stocktracker.loadgen.rawclient;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.loadgen.feed.PriceUpdateTemplate;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.schemas.ws.BatchUpdate;
import io.stocktracker.schemas.ws.PriceUpdate;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuoteScannerTest {
    private static final Instant AT = Instant.parse("2026-12-07T13:09:41.123456789Z");
    private static final long AT_MICROS = AT.getEpochSecond() * 1_000_000L + 123_456;

    private final QuoteScanner scanner = new QuoteScanner();

    private boolean scan(String json) {
        byte[] padded = ("[[" + json + "]]").getBytes(StandardCharsets.UTF_8);
        return scanner.scan(padded, 2, padded.length - 4);
    }

    private String symbol(int i) {
        return symbolOf(i);
    }

    private byte[] lastBytes;

    private String symbolOf(int i) {
        return scanner.symbolLength(i) < 0 ? null : new String(lastBytes, scanner.symbolOffset(i), scanner.symbolLength(i), StandardCharsets.UTF_8);
    }

    private boolean scanKeeping(String json) {
        lastBytes = ("[[" + json + "]]").getBytes(StandardCharsets.UTF_8);
        return scanner.scan(lastBytes, 2, lastBytes.length - 4);
    }

    private static StockQuote quote(String symbol, long seq) {
        return new StockQuote(symbol, 101.5, 1.0, 0.5, 1000L, null, null, null, null, AT, "edge-bench", seq, AT, AT);
    }

    @Test
    void readsThePublishersPriceUpdate() {
        assertThat(scanKeeping(new String(PriceUpdateTemplate.render("EB007", 42, 101.25, "edge-bench", AT), StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(scanner.type()).isEqualTo(QuoteScanner.Type.PRICE_UPDATE);
        assertThat(scanner.snapshot()).isFalse();
        assertThat(scanner.quotes()).isEqualTo(1);
        assertThat(symbol(0)).isEqualTo("EB007");
        assertThat(scanner.seq(0)).isEqualTo(42);
        assertThat(scanner.ingestedMicros(0)).isEqualTo(AT_MICROS);
    }

    @Test
    void countsEveryQuoteOfABatchAsTheEdgeEncodesIt() {
        String batch = JsonCodec.toJson(new BatchUpdate(List.of(new BatchUpdate.Entry("EB001", quote("EB001", 7)),
                new BatchUpdate.Entry("EB002", quote("EB002", 8)), new BatchUpdate.Entry("EB003", quote("EB003", 9))), AT));
        assertThat(scanKeeping(batch)).isTrue();
        assertThat(scanner.type()).isEqualTo(QuoteScanner.Type.BATCH_UPDATE);
        assertThat(scanner.quotes()).isEqualTo(3);
        assertThat(List.of(symbol(0), symbol(1), symbol(2))).containsExactly("EB001", "EB002", "EB003");
        assertThat(List.of(scanner.seq(0), scanner.seq(1), scanner.seq(2))).containsExactly(7L, 8L, 9L);
        assertThat(scanner.ingestedMicros(2)).isEqualTo(AT_MICROS);
    }

    @Test
    void aSnapshotIsFlaggedWhereverTheFlagComesAndTheTopSymbolStandsInForAMissingOne() {
        assertThat(scanKeeping("{\"data\":{\"price\":1.5,\"seq\":3,\"ingestedAt\":\"2026-12-07T13:09:41.123456Z\"},"
                + "\"symbol\":\"EB009\",\"snapshot\":true,\"type\":\"price_update\"}")).isTrue();
        assertThat(scanner.type()).isEqualTo(QuoteScanner.Type.PRICE_UPDATE);
        assertThat(scanner.snapshot()).isTrue();
        assertThat(symbol(0)).isEqualTo("EB009");
        assertThat(scanner.seq(0)).isEqualTo(3);
        assertThat(scanner.ingestedMicros(0)).isEqualTo(AT_MICROS);
        PriceUpdate snap = PriceUpdate.of(quote("EB010", 4), AT).asSnapshot();
        assertThat(scanKeeping(JsonCodec.toJson(snap))).isTrue();
        assertThat(scanner.snapshot()).isTrue();
    }

    @Test
    void skipsWhatItDoesNotNeedEscapesAndNestingIncluded() {
        assertThat(scanKeeping("{ \"type\" : \"price_update\", \"extra\": {\"a\":[1,{\"b\":\"x\\\"}\"}],\"symbol\":\"NO\"},"
                + " \"note\":\"a \\\"quoted\\\" } text\", \"data\": {\"nested\":{\"seq\":99},\"symbol\":\"EB1\",\"seq\":5,"
                + "\"volume\":1e3,\"flag\":null} }")).isTrue();
        assertThat(scanner.quotes()).isEqualTo(1);
        assertThat(symbol(0)).isEqualTo("EB1");
        assertThat(scanner.seq(0)).isEqualTo(5);
        assertThat(scanner.ingestedMicros(0)).isEqualTo(IsoInstant.INVALID);
    }

    @Test
    void tellsControlFramesApartAndReadsAnErrorCode() {
        assertThat(scan("{\"type\":\"subscribed\",\"symbols\":[\"EB1\"]}")).isTrue();
        assertThat(scanner.type()).isEqualTo(QuoteScanner.Type.SUBSCRIBED);
        assertThat(scanner.quotes()).isZero();
        assertThat(scan("{\"type\":\"connected\",\"clientId\":\"x\"}")).isTrue();
        assertThat(scanner.type()).isEqualTo(QuoteScanner.Type.CONNECTED);
        assertThat(scan("{\"type\":\"error\",\"code\":\"RATE_LIMITED\",\"message\":\"slow down\"}")).isTrue();
        assertThat(scanner.type()).isEqualTo(QuoteScanner.Type.ERROR);
        assertThat(scanner.code()).isEqualTo("RATE_LIMITED");
        assertThat(scan("{\"type\":\"pong\"}")).isTrue();
        assertThat(scanner.type()).isEqualTo(QuoteScanner.Type.OTHER);
    }

    @Test
    void refusesBrokenFramesWithoutThrowing() {
        for (String s : new String[] {"", "[]", "{", "{\"type\":\"price_update\"", "{\"type\":\"price_update\",\"data\":{\"seq\":1}",
                "{\"a\" 1}", "{\"a\":1,,}", "{\"data\":{\"symbol\":\"X\",\"seq\":12345678901234567890}}", "{\"a\":\"unterminated}"}) {
            assertThat(scan(s)).as(s).isFalse();
            assertThat(scanner.quotes()).isZero();
        }
    }

    @Test
    void readsSeqsUpToTheLargestLongAsThePublisherUsesThem() {
        long seq = 1_796_649_859L * 1_000_000_000L + 61; // the publisher's seqs start at epoch second x 10^9: 19 digits
        assertThat(scanKeeping(new String(PriceUpdateTemplate.render("EB0", seq, 1.0, "edge-bench", AT), StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(scanner.seq(0)).isEqualTo(seq);
        assertThat(scanKeeping("{\"data\":{\"seq\":" + Long.MAX_VALUE + "}}")).isTrue();
        assertThat(scanner.seq(0)).isEqualTo(Long.MAX_VALUE);
        assertThat(scanKeeping("{\"data\":{\"seq\":9223372036854775808}}")).isFalse();
    }

    @Test
    void aNonIntegerSeqCountsAsNone() {
        assertThat(scanKeeping("{\"type\":\"price_update\",\"data\":{\"symbol\":\"EB1\",\"seq\":1.5}}")).isTrue();
        assertThat(scanner.seq(0)).isEqualTo(-1);
    }

    @Test
    void growsForBatchesLargerThanItsFirstArrays() {
        List<BatchUpdate.Entry> entries = java.util.stream.IntStream.range(0, 300)
                .mapToObj(i -> new BatchUpdate.Entry("EB" + i, quote("EB" + i, i))).toList();
        assertThat(scanKeeping(JsonCodec.toJson(new BatchUpdate(entries, AT)))).isTrue();
        assertThat(scanner.quotes()).isEqualTo(300);
        assertThat(symbol(299)).isEqualTo("EB299");
        assertThat(scanner.seq(299)).isEqualTo(299);
    }
}

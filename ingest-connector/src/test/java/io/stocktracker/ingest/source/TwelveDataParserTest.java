package io.stocktracker.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.ingest.Payloads;
import io.stocktracker.ingest.source.SourceFailure.Reason;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.model.RawQuote;
import io.stocktracker.schemas.validation.SchemaValidator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TwelveDataParserTest {
    private static final Instant NOW = Instant.parse("2024-01-10T18:00:00Z");
    private final TwelveDataParser parser = new TwelveDataParser(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void singleSymbolAnswerIsTheQuoteObjectItself() {
        Map<String, FetchResult> results = parser.parse(List.of("AAPL"), 200, Payloads.read("twelvedata/quote-single.json"));

        RawQuote q = quote(results.get("AAPL"));
        assertThat(q.price()).as("close is the latest price").isEqualTo(186.19);
        assertThat(q.open()).isEqualTo(184.35001);
        assertThat(q.high()).isEqualTo(186.39999);
        assertThat(q.low()).isEqualTo(183.92);
        assertThat(q.previousClose()).isEqualTo(185.14);
        assertThat(q.change()).isEqualTo(1.05);
        assertThat(q.changePercent()).isEqualTo(0.56714);
        assertThat(q.volume()).isEqualTo(46_792_908L);
        assertThat(q.timestamp()).as("unix seconds").isEqualTo(Instant.ofEpochSecond(1704897000));
        assertThat(q.source()).isEqualTo("twelvedata");
        assertThat(((FetchResult.Fetched) results.get("AAPL")).marketOpen()).isTrue();
        assertThat(((FetchResult.Fetched) parser.parse(List.of("AAPL"), 200, Payloads.read("twelvedata/quote-closed.json")).get("AAPL"))
                .marketOpen()).isFalse();
        SchemaValidator.shared().requireValid(SchemaValidator.RAW_QUOTE, JsonCodec.toJson(q));
    }

    @Test
    void batchAnswerIsKeyedBySymbolWithPerSymbolErrors() {
        Map<String, FetchResult> results = parser.parse(List.of("AAPL", "MSFT", "NOPE"), 200, Payloads.read("twelvedata/quote-batch.json"));

        assertThat(quote(results.get("AAPL")).price()).isEqualTo(186.19);
        assertThat(quote(results.get("MSFT")).price()).isEqualTo(382.76999);
        assertThat(failure(results.get("NOPE")).reason()).isEqualTo(Reason.UNKNOWN_SYMBOL);
    }

    @Test
    void symbolMissingFromABatchAnswerIsMalformed() {
        Map<String, FetchResult> results = parser.parse(List.of("AAPL", "TSLA"), 200, Payloads.read("twelvedata/quote-batch.json"));

        assertThat(results.get("AAPL").ok()).isTrue();
        assertThat(failure(results.get("TSLA")).reason()).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void creditsExhaustedIsARateLimitForEverySymbol() {
        Map<String, FetchResult> results = parser.parse(List.of("AAPL", "MSFT"), 200, Payloads.read("twelvedata/error-429.json"));

        assertThat(results).hasSize(2);
        results.values().forEach(r -> assertThat(failure(r).reason()).isEqualTo(Reason.RATE_LIMITED));
        assertThat(failure(results.get("AAPL")).detail()).contains("run out of API credits");
    }

    @Test
    void errorBodiesAreReadWhateverTheHttpStatus() {
        assertThat(failure(parser.parse(List.of("AAPL"), 429, Payloads.read("twelvedata/error-429.json")).get("AAPL")).reason())
                .isEqualTo(Reason.RATE_LIMITED);
        assertThat(failure(parser.parse(List.of("NOPE"), 200, Payloads.read("twelvedata/error-400.json")).get("NOPE")).reason())
                .isEqualTo(Reason.UNKNOWN_SYMBOL);
        assertThat(failure(parser.parse(List.of("AAPL"), 401, Payloads.read("twelvedata/error-401.json")).get("AAPL")).reason())
                .isEqualTo(Reason.PROVIDER_ERROR);
    }

    @Test
    void missingCloseIsMalformedNeverAZeroPrice() {
        assertThat(failure(parser.parse(List.of("AAPL"), 200, Payloads.read("twelvedata/missing-close.json")).get("AAPL")).reason())
                .isEqualTo(Reason.MALFORMED);
    }

    @Test
    void transportLevelFailuresMapToTheirReasons() {
        assertThat(failure(parser.parse(List.of("AAPL"), 502, "<html>bad gateway</html>").get("AAPL")).reason()).isEqualTo(Reason.HTTP_ERROR);
        assertThat(failure(parser.parse(List.of("AAPL"), 429, "").get("AAPL")).reason()).isEqualTo(Reason.RATE_LIMITED);
        assertThat(failure(parser.parse(List.of("AAPL"), 200, "not json").get("AAPL")).reason()).isEqualTo(Reason.MALFORMED);
    }

    private static RawQuote quote(FetchResult r) {
        assertThat(r).isInstanceOf(FetchResult.Fetched.class);
        return ((FetchResult.Fetched) r).quote();
    }

    private static SourceFailure failure(FetchResult r) {
        assertThat(r).isInstanceOf(FetchResult.Failed.class);
        return ((FetchResult.Failed) r).failure();
    }
}

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
import org.junit.jupiter.api.Test;

class AlphaVantageParserTest {
    private static final Instant NOW = Instant.parse("2024-01-10T18:00:00Z");
    private final AlphaVantageParser parser = new AlphaVantageParser(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void readsEveryGlobalQuoteFieldFromItsStringForm() {
        FetchResult result = parser.parse("IBM", 200, Payloads.read("alphavantage/global-quote.json"));

        assertThat(result).isInstanceOf(FetchResult.Fetched.class);
        RawQuote q = ((FetchResult.Fetched) result).quote();
        assertThat(q.symbol()).isEqualTo("IBM");
        assertThat(q.price()).isEqualTo(161.23);
        assertThat(q.open()).isEqualTo(161.0);
        assertThat(q.high()).isEqualTo(162.49);
        assertThat(q.low()).isEqualTo(160.76);
        assertThat(q.volume()).isEqualTo(3_534_126L);
        assertThat(q.previousClose()).isEqualTo(160.22);
        assertThat(q.change()).isEqualTo(1.01);
        assertThat(q.changePercent()).as("trailing %% stripped").isEqualTo(0.6304);
        assertThat(q.source()).isEqualTo("alphavantage");
        assertThat(q.ingestedAt()).isEqualTo(NOW);
        assertThat(q.timestamp()).as("today's quote is as of the fetch").isEqualTo(NOW);
        SchemaValidator.shared().requireValid(SchemaValidator.RAW_QUOTE, JsonCodec.toJson(q));
    }

    @Test
    void quoteOfAnEarlierTradingDayIsStampedWithThatDaysClose() {
        AlphaVantageParser later = new AlphaVantageParser(Clock.fixed(Instant.parse("2024-01-13T15:00:00Z"), ZoneOffset.UTC));

        RawQuote q = ((FetchResult.Fetched) later.parse("IBM", 200, Payloads.read("alphavantage/global-quote.json"))).quote();

        assertThat(q.timestamp()).isEqualTo(Instant.parse("2024-01-10T21:00:00Z"));
    }

    @Test
    void noteIsARateLimitNotAPrice() {
        assertFailure(parser.parse("IBM", 200, Payloads.read("alphavantage/note.json")), Reason.RATE_LIMITED, "call frequency");
    }

    @Test
    void informationIsARateLimitNotAPrice() {
        assertFailure(parser.parse("IBM", 200, Payloads.read("alphavantage/information.json")), Reason.RATE_LIMITED, "25 requests per day");
    }

    @Test
    void errorMessageIsAProviderError() {
        assertFailure(parser.parse("IBM", 200, Payloads.read("alphavantage/error-message.json")), Reason.PROVIDER_ERROR, "Invalid API call");
    }

    @Test
    void emptyGlobalQuoteMeansTheSymbolIsUnknown() {
        assertFailure(parser.parse("NOPE", 200, Payloads.read("alphavantage/empty-global-quote.json")), Reason.UNKNOWN_SYMBOL, "NOPE");
    }

    @Test
    void zeroPriceIsMalformedNeverAQuote() {
        assertFailure(parser.parse("IBM", 200, Payloads.read("alphavantage/zero-price.json")), Reason.MALFORMED, "05. price");
    }

    @Test
    void nonJsonAndUnexpectedShapesAreMalformed() {
        assertFailure(parser.parse("IBM", 200, "<html>gateway</html>"), Reason.MALFORMED, "JSON");
        assertFailure(parser.parse("IBM", 200, "[1,2]"), Reason.MALFORMED, "object");
        assertFailure(parser.parse("IBM", 200, "{\"Something\": 1}"), Reason.MALFORMED, "Global Quote");
    }

    @Test
    void httpStatusesMapToTheirReasons() {
        assertFailure(parser.parse("IBM", 429, ""), Reason.RATE_LIMITED, "429");
        assertFailure(parser.parse("IBM", 503, "busy"), Reason.HTTP_ERROR, "503");
    }

    private static void assertFailure(FetchResult result, Reason reason, String detailPart) {
        assertThat(result).isInstanceOf(FetchResult.Failed.class);
        SourceFailure f = ((FetchResult.Failed) result).failure();
        assertThat(f.reason()).isEqualTo(reason);
        assertThat(f.detail()).contains(detailPart);
    }
}

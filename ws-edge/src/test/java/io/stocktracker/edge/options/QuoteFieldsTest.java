package io.stocktracker.edge.options;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.model.StockQuote;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuoteFieldsTest {
    static final StockQuote FULL = new StockQuote("TCS", 3712.25, 12.5, 0.34, 1_000L, 3720.0, 3690.0, 3700.0, 3699.75,
            Instant.parse("2024-01-10T10:30:00Z"), "Simulated", 42L, Instant.parse("2024-01-10T10:30:01Z"),
            Instant.parse("2024-01-10T10:30:02Z"));

    @Test
    void aProjectionKeepsTheFieldsAskedForPlusSymbolPriceAndSeq() {
        StockQuote cut = QuoteFields.of(List.of("changePercent", "timestamp")).project(FULL);

        assertThat(JsonCodec.toJson(cut)).isEqualTo(
                "{\"symbol\":\"TCS\",\"price\":3712.25,\"changePercent\":0.34,\"timestamp\":\"2024-01-10T10:30:00Z\",\"seq\":42}");
    }

    @Test
    void everyFieldNamedGivesTheWholeQuote() {
        assertThat(QuoteFields.of(QuoteFields.NAMES).project(FULL)).isEqualTo(FULL);
    }

    @Test
    void theSameFieldsInAnyOrderAreOneFieldSet() {
        assertThat(QuoteFields.of(List.of("volume", "high"))).isEqualTo(QuoteFields.of(List.of("high", "volume", "high")));
        assertThat(QuoteFields.of(List.of("price"))).isEqualTo(QuoteFields.of(List.of("seq")));
    }

    @Test
    void theNamesAreTheQuotesWireNames() {
        assertThat(QuoteFields.NAMES).contains("symbol", "price", "changePercent", "previousClose", "seq", "processedAt")
                .hasSize(14);
        assertThat(QuoteFields.known("Price")).isFalse();
    }
}

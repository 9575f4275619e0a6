package io.stocktracker.edge.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.edge.fanout.ClientQueue.PendingQuote;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.model.StockQuote;
import io.stocktracker.schemas.ws.BatchUpdate;
import io.stocktracker.schemas.ws.ServerMessage;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchEncodingTest {
    static StockQuote quote(String symbol, long seq) {
        Instant t = Instant.parse("2026-01-10T10:30:00.123456Z");
        return new StockQuote(symbol, 2450.5, 12.3, 0.5, 1234567L, 2460.0, 2440.0, 2445.0, 2438.2, t, "AlphaVantage", seq, t, t);
    }

    @Test
    void theAssembledBatchIsExactlyTheCodecsBatchUpdate() {
        Instant now = Instant.parse("2026-01-10T10:30:01.5Z");
        List<PendingQuote> batch = List.of(new PendingQuote("AAPL", quote("AAPL", 1), "f1"),
                new PendingQuote("BRK.B", quote("BRK.B", 2), "f2"));
        String assembled = BatchEncoder.jsonBatch(batch, now).text();
        BatchUpdate expected = new BatchUpdate(List.of(new BatchUpdate.Entry("AAPL", quote("AAPL", 1)),
                new BatchUpdate.Entry("BRK.B", quote("BRK.B", 2))), now);
        assertThat(JsonCodec.tree(assembled)).isEqualTo(JsonCodec.tree(JsonCodec.toJson(expected)));
        assertThat(JsonCodec.fromJson(assembled, ServerMessage.class)).isEqualTo(expected);
    }

    @Test
    void eachEntryIsSerializedOncePerUpdateWhateverTheNumberOfBatches() {
        PendingQuote shared = new PendingQuote("AAPL", quote("AAPL", 1), "f");
        int[] encodes = {0};
        for (int i = 0; i < 100; i++) {
            shared.batchEntry(p -> {
                encodes[0]++;
                return new byte[] {'{', '}'};
            });
        }
        assertThat(encodes[0]).isEqualTo(1);
    }
}

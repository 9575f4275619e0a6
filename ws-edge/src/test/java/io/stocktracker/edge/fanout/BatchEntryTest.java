package io.stocktracker.edge.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.edge.fanout.ClientQueue.PendingQuote;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.ws.BatchUpdate;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BatchEntryTest {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void cutsTheDataObjectOutOfThePriceUpdateAsItIs() {
        String data = "{\"symbol\":\"BRK.B\",\"price\":1.50,\"x\":[{\"data\":{}}],\"s\":\"}\\\"{\"}";
        byte[] entry = BatchEntry.cut("BRK.B", utf8("{\"type\":\"price_update\",\"data\":" + data + ",\"symbol\":\"BRK.B\"}"));

        assertThat(new String(entry, StandardCharsets.UTF_8)).isEqualTo("{\"symbol\":\"BRK.B\",\"data\":" + data + "}");
    }

    @Test
    void aFrameItCannotVouchForIsNotCut() {
        for (String frame : new String[] {"", "[]", "{}", "not json", "{\"data\":[1]}", "{\"data\":\"{}\"}", "{\"data\":null}",
                "{\"data\":{\"price\":1}}", "{\"data\":{\"symbol\":\"MSFT\",\"price\":1}}", "{\"data\":{\"symbol\":1,\"price\":1}}",
                "{\"data\":{\"symbol\":\"AAPL\"},\"data\":{\"symbol\":\"AAPL\"}}", "{\"data\":{\"symbol\":\"AAPL\"}} {}",
                "{\"data\":{\"symbol\":\"AAPL\"}", "{\"data\":{\"symbol\":\"AAPL\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}}",
                "{\"data\":{\"symbol\":\"AAPL\",\"x\":" + "[".repeat(5000) + "}}"}) {
            assertThat(BatchEntry.cut("AAPL", utf8(frame))).as(frame).isNull();
        }
    }

    @Test
    void aQuoteWhoseFrameIsNotCutIsSerializedInstead() {
        var quote = BatchEncodingTest.quote("AAPL", 3);
        byte[] entry = BatchEntry.of(new PendingQuote("AAPL", quote, TextFrame.ofUtf8(utf8("{\"data\":[1]}"))));

        assertThat(JsonCodec.tree(new String(entry, StandardCharsets.UTF_8)))
                .isEqualTo(JsonCodec.tree(JsonCodec.toJson(new BatchUpdate.Entry("AAPL", quote))));
    }
}
